import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { parseConfig } from "../../lib/config.ts";
import type { AppConfig } from "../../lib/config.ts";
import { createPersistenceContext } from "../../lib/runtime/create-persistence-context.ts";
import type { PersistenceContextOverrides } from "../../lib/runtime/create-persistence-context.ts";
import type { PersistenceContext } from "../../lib/persistence/persistence-context.ts";

const MIGRATIONS = path.resolve(__dirname, "../../prisma/migrations");

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

export interface TestContext {
  ctx: PersistenceContext;
  config: AppConfig;
  file: string;
  /** A second, plain connection for asserting what the database really holds. */
  raw: Database.Database;
  close: () => Promise<void>;
}

export async function createTestContext(
  env: Record<string, string> = {},
  overrides: PersistenceContextOverrides = {},
): Promise<TestContext> {
  const { file, remove } = createTestDatabaseFile();
  const config = parseConfig({ DATABASE_URL: `file:${file}`, ...env });
  const ctx = createPersistenceContext(config, overrides);
  const raw = new Database(file, { readonly: true });
  return {
    ctx,
    config,
    file,
    raw,
    close: async () => {
      raw.close();
      await ctx.db.$disconnect();
      remove();
    },
  };
}

export const system = { actor: { name: "test", kind: "service" as const } };
