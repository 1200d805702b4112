/**
 * The kit reads its settings from environment variables only — no files — so the same specs run
 * against a laptop, CI or staging by changing the environment:
 *
 *   PNAKOTIC_URL             the server, e.g. http://127.0.0.1:3000 (required)
 *   PNAKOTIC_TOKEN           a bearer token (required); make one with
 *                            `npm run admin -- token create qa-kit --role service --scope test-players`
 *   PNAKOTIC_STAFF_USER      a staff user for console checks (optional; with PNAKOTIC_STAFF_PASSWORD)
 *   PNAKOTIC_STAFF_PASSWORD
 *   PNAKOTIC_TEST_TAG        the tag put on players the kit creates (default "playwright")
 */
export interface PnakoticEnv {
  url: string;
  token: string;
  staff: { username: string; password: string } | null;
  testTag: string;
}

export class PnakoticConfigError extends Error {
  constructor(message: string) {
    super(`@pnakotic/playwright: ${message}`);
    this.name = "PnakoticConfigError";
  }
}

const TEST_TAG = /^[A-Za-z0-9._-]{1,64}$/;

export function readPnakoticEnv(env: Record<string, string | undefined> = process.env): PnakoticEnv {
  const url = env.PNAKOTIC_URL?.trim();
  if (!url) throw new PnakoticConfigError("set PNAKOTIC_URL to the server's address, e.g. PNAKOTIC_URL=http://127.0.0.1:3000");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PnakoticConfigError(`PNAKOTIC_URL is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new PnakoticConfigError(`PNAKOTIC_URL must be http or https, got ${parsed.protocol}`);
  const token = env.PNAKOTIC_TOKEN?.trim();
  if (!token) throw new PnakoticConfigError("set PNAKOTIC_TOKEN (npm run admin -- token create qa-kit --role service --scope test-players)");
  const username = env.PNAKOTIC_STAFF_USER?.trim();
  const password = env.PNAKOTIC_STAFF_PASSWORD;
  if (Boolean(username) !== Boolean(password)) throw new PnakoticConfigError("set both PNAKOTIC_STAFF_USER and PNAKOTIC_STAFF_PASSWORD, or neither");
  const testTag = env.PNAKOTIC_TEST_TAG?.trim() || "playwright";
  if (!TEST_TAG.test(testTag)) throw new PnakoticConfigError(`PNAKOTIC_TEST_TAG must be 1-64 letters, digits, dots, underscores or dashes, got ${JSON.stringify(testTag)}`);
  return { url: parsed.origin + parsed.pathname.replace(/\/+$/, ""), token, staff: username && password ? { username, password } : null, testTag };
}
