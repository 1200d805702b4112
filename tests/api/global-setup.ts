import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { parseConfig } from "../../lib/config.ts";
import { createApiToken, createStaffUser, revokeApiToken } from "../../lib/auth/staff-users.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { freePort } from "../helpers/app-server.ts";
import { createTestDatabaseFile } from "../helpers/test-database.ts";

export interface ApiTestEnvironment {
  baseUrl: string;
  databaseFile: string;
  passwords: { admin: string; support: string; viewer: string; disabled: string; throttled: string };
  /** Viewers used only by the sign-in throttling tests (their lockouts must not hit other tests). */
  throttledUsers: string[];
  /** qaKit: a service token with scope test-players (the Playwright kit's). */
  tokens: { service: string; viewerToken: string; revoked: string; qaKit: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    api: ApiTestEnvironment;
  }
}


async function waitForHealthy(baseUrl: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server.mjs exited with ${server.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server did not become healthy within 60 s:\n${output()}`);
}

/**
 * One real production server (`node server.mjs`) (the production build) on a fresh SQLite file, with known staff
 * users and tokens. Requires `npm run build` first (npm test does it).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` before the api tests");
  const { file, remove } = createTestDatabaseFile();
  const config = parseConfig({ DATABASE_URL: `file:${file}` });
  const db = createPrismaClient(config);
  const passwords = { admin: "admin-password-1", support: "support-password-1", viewer: "viewer-password-1", disabled: "disabled-password-1", throttled: "throttled-password-1" };
  const throttledUsers = Array.from({ length: 12 }, (_, index) => `throttled-${index + 1}`);
  for (const username of throttledUsers) await createStaffUser(db, { username, password: passwords.throttled, role: "viewer" });
  await createStaffUser(db, { username: "admin", password: passwords.admin, role: "admin" });
  await createStaffUser(db, { username: "support", password: passwords.support, role: "support" });
  await createStaffUser(db, { username: "viewer", password: passwords.viewer, role: "viewer" });
  await createStaffUser(db, { username: "disabled", password: passwords.disabled, role: "admin" });
  await db.user.update({ where: { username: "disabled" }, data: { disabledAt: new Date() } });
  const service = await createApiToken(db, { name: "test-game-server", role: "service" });
  const viewerToken = await createApiToken(db, { name: "test-viewer-token", role: "viewer" });
  const revoked = await createApiToken(db, { name: "test-revoked", role: "service" });
  const qaKit = await createApiToken(db, { name: "test-qa-kit", role: "service", scope: "test-players" });
  await revokeApiToken(db, "test-revoked");
  await db.$disconnect();

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = "";
  const server = spawn(process.execPath, [path.join(root, "server.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${file}`, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", METRICS_SCRAPE_TOKEN: "scrape-token-for-tests-0123456789", PNAKOTIC_INSECURE_COOKIES: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  await waitForHealthy(baseUrl, server, () => log);

  project.provide("api", { baseUrl, databaseFile: file, passwords, throttledUsers, tokens: { service: service.token, viewerToken: viewerToken.token, revoked: revoked.token, qaKit: qaKit.token } });

  return async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    if (process.env.PNAKOTIC_TEST_SERVER_LOG === "1") console.log(log);
    remove();
  };
}
