import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer } from "../helpers/app-server.ts";
import type { AppServer } from "../helpers/app-server.ts";
import { requestFromAddress, signInFrom } from "../helpers/request-from-address.ts";
import { env } from "./api-client.ts";

const [, , , , , viaProxy, csrfUser] = env.throttledUsers as string[] as [string, string, string, string, string, string, string];
const right = env.passwords.throttled;
const wrong = "not-the-password";

/** Sign-in is a public mutation: a browser's Origin is checked before the password. */
const signInWithHeaders = (baseUrl: string, from: string, headers: Record<string, string>) =>
  requestFromAddress(from, `${baseUrl}/api/v1/auth/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ username: csrfUser, password: right }),
  });

describe("CSRF: Origin must match scheme, host and port; forwarded headers are ignored without a trusted proxy", () => {
  const url = new URL(env.baseUrl);
  it.each([
    { name: "the server's own origin", origin: env.baseUrl, headers: {}, status: 200 },
    { name: "another scheme", origin: `https://${url.host}`, headers: {}, status: 403 },
    { name: "another port", origin: `http://${url.hostname}:${Number(url.port) + 1}`, headers: {}, status: 403 },
    { name: "another host", origin: `http://localhost:${url.port}`, headers: {}, status: 403 },
    { name: "a forwarded host (untrusted)", origin: "http://evil.example", headers: { "X-Forwarded-Host": "evil.example" }, status: 403 },
    { name: "a forwarded scheme and host (untrusted)", origin: "https://evil.example", headers: { "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" }, status: 403 },
    { name: "a forwarded scheme (untrusted)", origin: `https://${url.host}`, headers: { "X-Forwarded-Proto": "https" }, status: 403 },
  ] as Array<{ name: string; origin: string; headers: Record<string, string>; status: number }>)("$name → $status", async ({ origin, headers, status }) => {
    const response = await signInWithHeaders(env.baseUrl, "127.0.0.1", { Origin: origin, ...headers });
    expect(response.status).toBe(status);
    if (status === 403) expect(JSON.parse(response.body)).toMatchObject({ code: "forbidden" });
  });
});

describe("behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1,127.0.0.2)", () => {
  let server: AppServer;
  beforeAll(async () => {
    // A second server on the same database file, configured as if 127.0.0.1/.2 were the proxies.
    server = await startAppServer({ env: { DATABASE_URL: `file:${env.databaseFile}`, TRUSTED_PROXIES: "127.0.0.1,127.0.0.2" } });
  }, 90_000);
  afterAll(async () => server?.stop());

  it("throttles the forwarded client address, not the proxy's", async () => {
    const client = { "X-Forwarded-For": "203.0.113.50" };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await signInFrom(server.baseUrl, "127.0.0.1", viaProxy, wrong, client)).status).toBe(401);
    }
    expect((await signInFrom(server.baseUrl, "127.0.0.1", viaProxy, right, client)).status).toBe(429);
    // Two proxies deep: the rightmost entry that is not a trusted proxy is the client.
    expect((await signInFrom(server.baseUrl, "127.0.0.2", viaProxy, right, { "X-Forwarded-For": "10.9.9.9, 203.0.113.50, 127.0.0.1" })).status).toBe(429);
    // Another client behind the same proxy is not affected, nor is a spoofed left-most entry.
    expect((await signInFrom(server.baseUrl, "127.0.0.1", viaProxy, right, { "X-Forwarded-For": "203.0.113.51" })).status).toBe(200);
    expect((await signInFrom(server.baseUrl, "127.0.0.1", viaProxy, right, { "X-Forwarded-For": "203.0.113.50, 203.0.113.52" })).status).toBe(200);
  });

  it("a client that is not a trusted proxy cannot name an address with X-Forwarded-For", async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) await signInFrom(server.baseUrl, "127.0.0.40", viaProxy, wrong, { "X-Forwarded-For": "203.0.113.60" });
    // 127.0.0.40 is refused whatever it claims; the address it named is not.
    expect((await signInFrom(server.baseUrl, "127.0.0.40", viaProxy, right, { "X-Forwarded-For": "203.0.113.61" })).status).toBe(429);
    expect((await signInFrom(server.baseUrl, "127.0.0.1", viaProxy, right, { "X-Forwarded-For": "203.0.113.60" })).status).toBe(200);
  });

  it("uses X-Forwarded-Proto/-Host for the CSRF check only from the proxy", async () => {
    const forwarded = { Origin: "https://console.example", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "console.example" };
    expect((await signInWithHeaders(server.baseUrl, "127.0.0.1", forwarded)).status).toBe(200);
    expect((await signInWithHeaders(server.baseUrl, "127.0.0.41", forwarded)).status).toBe(403);
    expect((await signInWithHeaders(server.baseUrl, "127.0.0.1", { ...forwarded, Origin: "http://console.example" })).status).toBe(403);
    expect((await signInWithHeaders(server.baseUrl, "127.0.0.1", { ...forwarded, Origin: "https://console.example:8443" })).status).toBe(403);
  });
});
