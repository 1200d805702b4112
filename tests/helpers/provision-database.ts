import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { parseConfig } from "../../lib/config.ts";
import { createApiToken, createStaffUser } from "../../lib/auth/staff-users.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { createTestDatabaseFile } from "./test-database.ts";

export const postgresAdminUrl = process.env.PNAKOTIC_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * Whether the PostgreSQL variants can run. Unreachable PostgreSQL skips them on a laptop, but in
 * CI (CI=true) it throws: a missing database there is a failure, not a skip.
 */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`PostgreSQL unreachable at ${postgresAdminUrl} with CI=true: ${String(error)}`);
    console.warn(`PostgreSQL unreachable at ${postgresAdminUrl}; skipping the PostgreSQL variants (${String(error)})`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ProvisionedDatabase {
  url: string;
  serviceToken: string;
  adminPassword: string;
  remove: () => Promise<void>;
}

/**
 * A fresh, migrated database (SQLite file or PostgreSQL database) with an admin and a service token
 * (`accounts: false`: without them, for `npm run seed`, which creates its own admin).
 */
export async function provisionDatabase(kind: "sqlite" | "postgresql", options: { accounts?: boolean } = {}): Promise<ProvisionedDatabase> {
  let url: string;
  let remove: () => Promise<void>;
  if (kind === "sqlite") {
    const file = createTestDatabaseFile();
    url = `file:${file.file}`;
    remove = async () => file.remove();
  } else {
    const name = `pnakotic_rel_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: postgresAdminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const target = new URL(postgresAdminUrl);
    target.pathname = `/${name}`;
    url = target.toString();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const migrations = fileURLToPath(new URL("../../prisma/postgres/migrations/", import.meta.url));
    for (const folder of readdirSync(migrations, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
      await client.query(readFileSync(path.join(migrations, folder, "migration.sql"), "utf8"));
    }
    await client.end();
    remove = async () => {
      const cleanup = new pg.Client({ connectionString: postgresAdminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    };
  }
  if (options.accounts === false) return { url, serviceToken: "", adminPassword: "", remove };
  const db = createPrismaClient(parseConfig({ DATABASE_URL: url }));
  const adminPassword = `admin-${randomBytes(8).toString("hex")}`;
  await createStaffUser(db, { username: "admin", password: adminPassword, role: "admin" });
  const { token } = await createApiToken(db, { name: "reliability-game-server", role: "service" });
  await db.$disconnect();
  return { url, serviceToken: token, adminPassword, remove };
}
