/**
 * The E2E webServer: a fresh SQLite database (migrations + the demo seed + known test logins),
 * then the production server (`node server.mjs`) on it. What the tests need is written to tests/.artifacts/e2e-server.json.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseConfig } from "../../lib/config.ts";
import { createApiToken, createStaffUser } from "../../lib/auth/staff-users.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { createTestDatabaseFile } from "../helpers/test-database.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const port = Number(process.argv[2] ?? 3210);
const { file, remove } = createTestDatabaseFile();
const env = { ...process.env, DATABASE_URL: `file:${file}`, NEXT_TELEMETRY_DISABLED: "1", PNAKOTIC_INSECURE_COOKIES: "1", LOG_LEVEL: "warn" };

const passwords = { admin: "e2e-admin-password", support: "e2e-support-password", viewer: "e2e-viewer-password" };
try {
  execFileSync("npx", ["tsx", "prisma/seed.ts"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  const db = createPrismaClient(parseConfig({ DATABASE_URL: `file:${file}` }));
  for (const role of ["admin", "support", "viewer"] as const) await createStaffUser(db, { username: `e2e-${role}`, password: passwords[role], role });
  const { token } = await createApiToken(db, { name: "e2e-game-server", role: "service" });
  await db.$disconnect();

  mkdirSync(`${root}tests/.artifacts`, { recursive: true });
  writeFileSync(
    `${root}tests/.artifacts/e2e-server.json`,
    JSON.stringify({ baseUrl: `http://127.0.0.1:${port}`, databaseFile: file, usernames: { admin: "e2e-admin", support: "e2e-support", viewer: "e2e-viewer" }, passwords, serviceToken: token }, null, 2),
  );
} catch (error) {
  // Do not leave the temp database behind; the error still fails the webServer (and so the run).
  remove();
  throw error;
}

const server = spawn(process.execPath, [`${root}server.mjs`, "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env, stdio: "inherit" });
const stop = (signal: NodeJS.Signals) => server.kill(signal);
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
server.on("exit", (code) => {
  remove();
  process.exit(code ?? 0);
});
