import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import pg from "pg";
import { inject } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { PRISMA_SQLITE_BUSY_TIMEOUT_MS, createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { testDialect } from "../helpers/test-database.ts";
import { withScratchPostgresDatabase } from "../helpers/scratch-postgres-database.ts";

function migrateDeploy(databaseUrl: string): string {
  // Exactly what `npm run db:deploy` runs (the preload ends the CLI promptly; see the script).
  return execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_OPTIONS: "--require ./scripts/unref-long-timers.cjs" },
    encoding: "utf8",
    timeout: 60_000,
  });
}

const expectedTables = ["Player", "PlayerEvent", "ErrorLogEntry", "CacheMetricSample", "User", "Session", "ApiToken", "IdempotencyRecord", "AuditEntry"];

describe.runIf(testDialect === "sqlite")("migrations and SQLite settings", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-migrate-"));
  const file = path.join(dir, "fresh.db");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("`prisma migrate deploy` creates the schema on a fresh file, offline", () => {
    expect(migrateDeploy(`file:${file}`)).toMatch(/All migrations have been successfully applied/);
    const db = new Database(file, { readonly: true });
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((row) => row.name);
    db.close();
    expect(tables).toEqual(expect.arrayContaining(expectedTables));
  });

  it("the app's connection runs in WAL mode with foreign keys, a busy timeout and the configured synchronous level", async () => {
    const db = createPrismaClient(parseConfig({ DATABASE_URL: `file:${file}`, SQLITE_SYNCHRONOUS: "NORMAL", SQLITE_BUSY_TIMEOUT_MS: "4321" }));
    try {
      const read = async (pragma: string) => Object.values((await db.$queryRawUnsafe<Array<Record<string, unknown>>>(`PRAGMA ${pragma}`))[0]!)[0];
      expect(await read("journal_mode")).toBe("wal");
      expect(Number(await read("foreign_keys"))).toBe(1);
      expect(Number(await read("synchronous"))).toBe(1); // 1 = NORMAL, 2 = FULL
      // Prisma's connection is synchronous: its lock waits stay short so the event loop never stalls;
      // the player write path retries asynchronously for the configured 4321 ms (sql-writer.ts).
      expect(Number(await read("busy_timeout"))).toBe(PRISMA_SQLITE_BUSY_TIMEOUT_MS);
    } finally {
      await db.$disconnect();
    }
  });
});

describe.runIf(testDialect === "postgresql")("migrations on PostgreSQL", () => {
  it("`prisma migrate deploy` creates the schema on a fresh database, offline, and is idempotent", async () => {
    const { adminUrl } = inject("postgres");
    await withScratchPostgresDatabase(adminUrl, "pnakotic_migrate", async (url) => {
      expect(migrateDeploy(url)).toMatch(/All migrations have been successfully applied/);
      expect(migrateDeploy(url)).toMatch(/No pending migrations to apply/);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const tables = (await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows.map((row) => row.tablename);
      await client.end();
      expect(tables).toEqual(expect.arrayContaining(expectedTables));
    });
  });
});
