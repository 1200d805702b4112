import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { parseConfig } from "../../lib/config.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";

describe("migrations and SQLite settings", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-migrate-"));
  const file = path.join(dir, "fresh.db");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("`prisma migrate deploy` creates the schema on a fresh file, offline", () => {
    const output = execFileSync("npx", ["prisma", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: `file:${file}` },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(output).toMatch(/All migrations have been successfully applied|No pending migrations/);
    const db = new Database(file, { readonly: true });
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all();
    db.close();
    expect(tables).toEqual(expect.arrayContaining([{ name: "Player" }, { name: "PlayerEvent" }, { name: "ErrorLogEntry" }, { name: "CacheMetricSample" }]));
  });

  it("the app's connection runs in WAL mode with foreign keys, a busy timeout and the configured synchronous level", async () => {
    const db = createPrismaClient(parseConfig({ DATABASE_URL: `file:${file}`, SQLITE_SYNCHRONOUS: "NORMAL", SQLITE_BUSY_TIMEOUT_MS: "4321" }));
    try {
      const read = async (pragma: string) => Object.values((await db.$queryRawUnsafe<Array<Record<string, unknown>>>(`PRAGMA ${pragma}`))[0]!)[0];
      expect(await read("journal_mode")).toBe("wal");
      expect(Number(await read("foreign_keys"))).toBe(1);
      expect(Number(await read("synchronous"))).toBe(1); // 1 = NORMAL, 2 = FULL
      expect(Number(await read("busy_timeout"))).toBe(4321);
    } finally {
      await db.$disconnect();
    }
  });
});
