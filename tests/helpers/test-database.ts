import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { inject } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import type { AppConfig } from "../../lib/config.ts";
import { createPersistenceContext } from "../../lib/runtime/create-persistence-context.ts";
import type { PersistenceContextOverrides } from "../../lib/runtime/create-persistence-context.ts";
import type { PersistenceContext } from "../../lib/persistence/persistence-context.ts";
import { PostgresInvalidationBus } from "../../lib/cache/postgres-invalidation-bus.ts";
import { findTool, runTool } from "./external-tool.ts";

const MIGRATIONS = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));

/**
 * Which database the persistence suite runs against: the `integration` vitest project uses SQLite,
 * `integration-pg` the same test files against PostgreSQL (PNAKOTIC_TEST_DATABASE=postgresql).
 */
export const testDialect: "sqlite" | "postgresql" = process.env.PNAKOTIC_TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";

/**
 * A fresh SQLite file with every migration in prisma/migrations applied (the same SQL that
 * `prisma migrate deploy` runs; tests/integration/migrations.test.ts runs the real CLI too).
 */
export function createTestDatabaseFile(): { file: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-test-"));
  const file = path.join(dir, "test.db");
  const db = new Database(file);
  for (const migration of readdirSync(MIGRATIONS, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
    db.exec(readFileSync(path.join(MIGRATIONS, migration, "migration.sql"), "utf8"));
  }
  db.close();
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh PostgreSQL database cloned from the migrated template made by tests/postgres-global-setup.ts. */
async function createTestPostgresDatabase(): Promise<{ url: string; remove: () => Promise<void> }> {
  const { adminUrl, template } = inject("postgres");
  const name = `pnakotic_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    remove: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Plain SQL against the test database, bypassing the app: assertions read what the database holds.
 * Write queries with `?` placeholders; they become $1, $2… on PostgreSQL. Integers come back as
 * numbers, JSON as parsed values and timestamps as ISO strings on both databases.
 */
export interface RawSql {
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  /** Runs a (possibly multi-statement) script with a writable connection — for sabotage in tests. */
  execute(script: string): Promise<void>;
  close(): Promise<void>;
}

function normalizeRow(row: Record<string, unknown>, dialect: "sqlite" | "postgresql"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = value.toISOString();
    else if (typeof value === "bigint") out[key] = Number(value);
    else if (dialect === "sqlite" && typeof value === "string" && /^\d{4}-\d\d-\d\dT.*\+00:00$/.test(value)) out[key] = new Date(value).toISOString();
    else if (dialect === "sqlite" && typeof value === "string" && (value.startsWith("{") || value.startsWith("["))) {
      try {
        out[key] = JSON.parse(value);
      } catch {
        out[key] = value;
      }
    } else out[key] = value;
  }
  return out;
}

export async function openRawSql(config: AppConfig): Promise<RawSql> {
  if (config.database.kind === "sqlite") {
    const file = config.database.file;
    const db = new Database(file, { readonly: true });
    return {
      all: async <T>(sql: string, ...params: unknown[]) => (db.prepare(sql).all(...params) as Record<string, unknown>[]).map((row) => normalizeRow(row, "sqlite") as T),
      get: async <T>(sql: string, ...params: unknown[]) => {
        const row = db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
        return row ? (normalizeRow(row, "sqlite") as T) : undefined;
      },
      // Through the sqlite3 shell, as a person would: it has the sha3() the ledger trigger calls.
      execute: async (script: string) => {
        const sqlite3 = findTool("sqlite3", process.env.PNAKOTIC_SQLITE3);
        if (!sqlite3) throw new Error("the sqlite3 shell is missing (Debian package sqlite3; .ci/run installs it)");
        const result = await runTool(sqlite3, ["-bail", file], { input: `.timeout 5000\n${script}\n`, timeoutMs: 30_000 });
        if (result.code !== 0 || result.stderr.trim() !== "") throw new Error(`sqlite3 exited ${result.code}: ${result.stderr.trim()}`);
      },
      close: async () => {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: config.database.url });
  // Outage tests terminate every connection to the database, this one included; its next query
  // then fails loudly, which is the right signal — an unhandled "error" event would crash the run.
  client.on("error", () => undefined);
  // int8 (COUNT, SUM) as numbers: test values are small.
  client.setTypeParser(20, (value: string) => Number(value));
  client.setTypeParser(1700, (value: string) => Number(value));
  await client.connect();
  const toPg = (sql: string) => {
    let index = 0;
    return sql.replace(/\?/g, () => `$${++index}`);
  };
  return {
    all: async <T>(sql: string, ...params: unknown[]) => (await client.query(toPg(sql), params)).rows.map((row) => normalizeRow(row, "postgresql") as T),
    get: async <T>(sql: string, ...params: unknown[]) => {
      const row = (await client.query(toPg(sql), params)).rows[0] as Record<string, unknown> | undefined;
      return row ? (normalizeRow(row, "postgresql") as T) : undefined;
    },
    execute: async (script: string) => {
      await client.query(script);
    },
    close: async () => client.end(),
  };
}

export interface TestContext {
  ctx: PersistenceContext;
  config: AppConfig;
  dialect: "sqlite" | "postgresql";
  /** The SQLite file (SQLite runs only). */
  file: string;
  /** A second, plain connection for asserting what the database really holds. */
  sql: RawSql;
  close: () => Promise<void>;
}

export async function createTestContext(env: Record<string, string> = {}, overrides: PersistenceContextOverrides = {}): Promise<TestContext> {
  let url: string;
  let file = "";
  let remove: () => Promise<void> | void;
  if (testDialect === "postgresql") {
    ({ url, remove } = await createTestPostgresDatabase());
  } else {
    const created = createTestDatabaseFile();
    file = created.file;
    url = `file:${file}`;
    remove = created.remove;
  }
  const config = parseConfig({ DATABASE_URL: url, ...env });
  const ctx = createPersistenceContext(config, overrides);
  if (ctx.bus instanceof PostgresInvalidationBus) await ctx.bus.ready();
  const sql = await openRawSql(config);
  return {
    ctx,
    config,
    dialect: testDialect,
    file,
    sql,
    close: async () => {
      await sql.close();
      await ctx.bus.close();
      await ctx.writer.close();
      await ctx.db.$disconnect();
      await remove();
    },
  };
}

/**
 * Runs an UPDATE behind the ledger's back: someone with database access drops (SQLite) or disables
 * (PostgreSQL) the ledger trigger, writes, and puts the trigger back. A direct connection rather
 * than the sqlite3 shell: with the trigger dropped no sha3() is needed, and the write lands within
 * the same tick.
 */
export async function updateBehindLedger(t: TestContext, update: string): Promise<void> {
  if (t.dialect === "postgresql") {
    await t.sql.execute(`ALTER TABLE "Player" DISABLE TRIGGER "Player_ledger"; ${update}; ALTER TABLE "Player" ENABLE TRIGGER "Player_ledger"`);
    return;
  }
  const trigger = (await t.sql.get<{ sql: string }>(`SELECT "sql" FROM "sqlite_master" WHERE "type" = 'trigger' AND "name" = 'Player_ledger'`))!.sql;
  const raw = new Database(t.file);
  try {
    raw.exec(`DROP TRIGGER "Player_ledger"; ${update}; ${trigger};`);
  } finally {
    raw.close();
  }
}

/** Opens a second app instance (own cache, own listener) on the same database. */
export function createSecondInstance(t: TestContext, instanceId: string, overrides: PersistenceContextOverrides = {}): PersistenceContext {
  return createPersistenceContext(t.config, { instanceId, ...overrides });
}

/** Polls until `check` passes (for asynchronous cross-instance effects). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = "condition"): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
}

export const system = { actor: { name: "test", kind: "system" as const } };

declare module "vitest" {
  export interface ProvidedContext {
    postgres: { adminUrl: string; template: string };
  }
}
