import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresPrismaClient } from "../../lib/persistence/generated-pg/client.ts";
import { postgresPoolConfig } from "../../lib/persistence/postgres-pool-config.ts";
import { adapterConnection } from "../../lib/persistence/sqlite-functions.ts";
import { testDialect } from "../helpers/test-database.ts";
import { withScratchPostgresDatabase } from "../helpers/scratch-postgres-database.ts";

/*
 * Three places lean on a library's behaviour that its documentation does not promise. Each is kept,
 * not designed away, for the reason in its comment; these tests fail the day upstream changes, in
 * either direction: when the workaround stops working, or when the bug it works around is fixed and
 * the workaround can go.
 */

describe.runIf(testDialect === "sqlite")("@prisma/adapter-better-sqlite3's connection", () => {
  it("is still reachable as the adapter's `client` field, a better-sqlite3 Database (the ledger's sha3() is registered on it)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-adapter-"));
    try {
      const adapter = await new PrismaBetterSQLite3({ url: `file:${path.join(dir, "probe.db")}` }).connect();
      try {
        expect(adapterConnection(adapter)).toBeInstanceOf(Database);
      } finally {
        await adapter.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(testDialect === "postgresql")("PostgreSQL upstream workarounds", () => {
  const nameColumn = async (poolConfig: pg.PoolConfig) => {
    const db = new PostgresPrismaClient({ adapter: new PrismaPg(new pg.Pool(poolConfig), { disposeExternalPool: true }) });
    try {
      // current_user is of type `name`, like the pg_catalog columns `prisma migrate` reads.
      return await db.$queryRawUnsafe<Array<{ user: string }>>(`SELECT current_user AS "user"`);
    } finally {
      await db.$disconnect();
    }
  };

  it("@prisma/adapter-pg still cannot read a `name` column with a plain pg client (prisma/orm#27403): TextNameClient is still needed", async () => {
    const { adminUrl } = inject("postgres");
    await expect(nameColumn({ ...postgresPoolConfig(adminUrl, { max: 1 }), Client: pg.Client })).rejects.toThrow(/name.*could not be deserialized|deserializ/i);
  });

  it("TextNameClient reads it as text", async () => {
    const { adminUrl } = inject("postgres");
    const rows = await nameColumn(postgresPoolConfig(adminUrl, { max: 1 }));
    expect(typeof rows[0]!.user).toBe("string");
  });

  /**
   * How long `prisma migrate deploy` stays alive after printing its last line. Its Wasm engine leaves
   * long timers running; scripts/unref-long-timers.cjs (the preload `npm run db:deploy` uses) unrefs
   * them. A gap is a few hundred milliseconds when nothing lingers and about ten seconds when a timer
   * does, so the 4 s threshold is far from both, whatever else the machine is doing.
   */
  async function lingerAfterDeploy(withPreload: boolean): Promise<number> {
    const { adminUrl } = inject("postgres");
    return withScratchPostgresDatabase(adminUrl, "pnakotic_linger", async (url) => {
      const child = spawn("npx", ["prisma", "migrate", "deploy"], {
        env: { ...process.env, DATABASE_URL: url, NODE_OPTIONS: withPreload ? "--require ./scripts/unref-long-timers.cjs" : "" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      let lastOutputAt = performance.now();
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        lastOutputAt = performance.now();
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      const gap = performance.now() - lastOutputAt;
      expect(code, output).toBe(0);
      expect(output).toMatch(/All migrations have been successfully applied/);
      return gap;
    });
  }

  it("`prisma migrate deploy` still lingers after its work without the timer preload, and ends promptly with it", async () => {
    expect(await lingerAfterDeploy(false)).toBeGreaterThan(4_000);
    expect(await lingerAfterDeploy(true)).toBeLessThan(4_000);
  }, 90_000);
});
