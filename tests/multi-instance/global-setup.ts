import { fileURLToPath } from "node:url";
import { spawn, execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { parseConfig } from "../../lib/config.ts";
import { createApiToken, createStaffUser } from "../../lib/auth/staff-users.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { freePort } from "../helpers/app-server.ts";

export interface MultiInstanceEnvironment {
  databaseUrl: string;
  adminUrl: string;
  databaseName: string;
  instances: { a: string; b: string };
  serviceToken: string;
  adminPassword: string;
  /** A game master (role viewer): an admin's live stream is admitted past every cap, a viewer's is not. */
  viewer: { username: string; password: string };
  /** A viewer only the sign-in throttling test uses (and locks). */
  throttled: { username: string; password: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    multi: MultiInstanceEnvironment;
  }
}


/**
 * Two real production instances (`node server.mjs`) on one fresh PostgreSQL database (migrated with the real
 * `prisma migrate deploy`), as a deployment behind a load balancer would run them. Caches keep
 * entries for a minute, so only LISTEN/NOTIFY — not the TTL — can keep them coherent.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first");
  const adminUrl = process.env.PNAKOTIC_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const databaseName = `pnakotic_multi_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();
  execFileSync("npm", ["run", "--silent", "db:deploy"], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "pipe" });

  const db = createPrismaClient(parseConfig({ DATABASE_URL: databaseUrl }));
  const adminPassword = "multi-admin-password";
  await createStaffUser(db, { username: "admin", password: adminPassword, role: "admin" });
  const throttled = { username: "throttled", password: "multi-throttled-password" };
  await createStaffUser(db, { ...throttled, role: "viewer" });
  const viewer = { username: "gamemaster", password: "multi-viewer-password" };
  await createStaffUser(db, { ...viewer, role: "viewer" });
  const { token } = await createApiToken(db, { name: "multi-game-server", role: "service" });
  await db.$disconnect();

  const servers: ChildProcess[] = [];
  const logs: string[] = [];
  const instances: Record<string, string> = {};
  for (const name of ["a", "b"]) {
    const port = await freePort();
    const server = spawn(process.execPath, [path.join(root, "server.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, INSTANCE_ID: name, CACHE_TTL_MS: "60000", LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", PNAKOTIC_INSECURE_COOKIES: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const index = logs.push("") - 1;
    server.stdout!.on("data", (chunk: Buffer) => (logs[index] += chunk.toString()));
    server.stderr!.on("data", (chunk: Buffer) => (logs[index] += chunk.toString()));
    servers.push(server);
    instances[name] = `http://127.0.0.1:${port}`;
  }
  // Ready = healthy and listening (the listener connects in the background after start).
  for (const [index, baseUrl] of Object.values(instances).entries()) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (servers[index]!.exitCode !== null) throw new Error(`instance exited:\n${logs[index]}`);
      const health = await fetch(`${baseUrl}/api/health`).then((response) => response.json() as Promise<{ listener?: { state: string } }>).catch(() => null);
      if (health?.listener?.state === "listening") break;
      if (Date.now() > deadline) throw new Error(`instance at ${baseUrl} not ready in 60 s:\n${logs[index]}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  project.provide("multi", { databaseUrl, adminUrl, databaseName, instances: { a: instances.a!, b: instances.b! }, serviceToken: token, adminPassword, viewer, throttled });

  return async () => {
    for (const server of servers) server.kill("SIGTERM");
    await Promise.all(servers.map((server) => (server.exitCode !== null ? undefined : new Promise((resolve) => server.once("exit", resolve)))));
    if (process.env.PNAKOTIC_TEST_SERVER_LOG === "1") console.log(logs.join("\n----\n"));
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await cleanup.end();
  };
}
