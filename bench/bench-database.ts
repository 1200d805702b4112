import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { registerSqliteFunctions } from "../lib/persistence/sqlite-functions.ts";
import pg from "pg";
import { parseConfig } from "../lib/config.ts";
import type { AppConfig } from "../lib/config.ts";
import { PostgresInvalidationBus } from "../lib/cache/postgres-invalidation-bus.ts";
import { createPersistenceContext } from "../lib/runtime/create-persistence-context.ts";
import type { PersistenceContext } from "../lib/persistence/persistence-context.ts";
import { postgresPoolConfig } from "../lib/persistence/postgres-pool-config.ts";
import { provisionDatabase } from "../tests/helpers/provision-database.ts";

/** A fresh migrated database for one benchmark phase, with a Pnakotic context on it. */
export interface BenchDatabase {
  kind: "sqlite" | "postgresql";
  url: string;
  config: AppConfig;
  ctx: PersistenceContext;
  serviceToken: string;
  /** Creates `count` players with plenty of health (no clamping in the field-update phase). */
  createPlayers(count: number, prefix: string): Promise<string[]>;
  /**
   * Turns Pnakotic's ledger trigger off for the hand-written baselines (they write their own ledger
   * row, as a user without Pnakotic would) and back on for Pnakotic's path.
   */
  setLedgerTrigger(enabled: boolean): Promise<void>;
  /** Plain SQL on the bench database (a separate connection; bulk fixtures). */
  execute(sql: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBenchDatabase(kind: "sqlite" | "postgresql", env: Record<string, string> = {}): Promise<BenchDatabase> {
  const provisioned = await provisionDatabase(kind);
  const config = parseConfig({ DATABASE_URL: provisioned.url, LOG_LEVEL: "error", ...env });
  const ctx = createPersistenceContext(config, { instanceId: `bench-${kind}` });
  if (ctx.bus instanceof PostgresInvalidationBus) await ctx.bus.ready();
  let triggerSql: string | null = null;
  const execute = async (sql: string) => {
    if (config.database.kind === "sqlite") {
      const db = registerSqliteFunctions(new Database(config.database.file, { timeout: 10_000 }));
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
      return;
    }
    const client = new pg.Client(postgresPoolConfig(config.database.url));
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    kind,
    url: provisioned.url,
    config,
    ctx,
    serviceToken: provisioned.serviceToken,
    execute,
    async setLedgerTrigger(enabled) {
      if (config.database.kind === "postgresql") {
        await execute(`ALTER TABLE "Player" ${enabled ? "ENABLE" : "DISABLE"} TRIGGER "Player_ledger"`);
        return;
      }
      if (!triggerSql) {
        const db = new Database(config.database.file, { readonly: true });
        triggerSql = (db.prepare(`SELECT "sql" FROM "sqlite_master" WHERE "type" = 'trigger' AND "name" = 'Player_ledger'`).get() as { sql: string }).sql;
        db.close();
      }
      await execute(enabled ? `DROP TRIGGER IF EXISTS "Player_ledger"; ${triggerSql};` : `DROP TRIGGER IF EXISTS "Player_ledger";`);
    },
    async createPlayers(count, prefix) {
      const ids: string[] = [];
      for (let index = 0; index < count; index += 1) {
        const id = randomUUID();
        await ctx.db.player.create({
          data: { id, name: `${prefix}-${index}-${id.slice(0, 8)}`, health: 1_000_000, maxHealth: 1_000_000, attributes: {}, inventory: [], statusEffects: [], stats: {} },
        });
        ids.push(id);
      }
      return ids;
    },
    async close() {
      await ctx.bus.close();
      await ctx.writer.close();
      await ctx.db.$disconnect();
      await provisioned.remove();
    },
  };
}

/**
 * The raw-driver baseline for "health − 1 with a ledger row and a version bump, in one
 * transaction", with hand-written SQL. Returns a function that performs one change.
 */
export async function rawFieldUpdate(
  database: BenchDatabase,
): Promise<{ update: (playerId: string) => Promise<void>; /** The same change for each player, all in one transaction (the batch baseline). */ updateAll: (playerIds: string[]) => Promise<void>; close: () => Promise<void> }> {
  const insertLedger = `INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "actor", "changeId", "playerVersion")`;
  if (database.config.database.kind === "sqlite") {
    // The trigger is off while the baseline runs, but preparing an UPDATE compiles it in: sha3 must exist.
    const db = registerSqliteFunctions(new Database(database.config.database.file));
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${database.config.SQLITE_SYNCHRONOUS}`);
    db.pragma(`busy_timeout = ${database.config.SQLITE_BUSY_TIMEOUT_MS}`);
    const update = db.prepare(`UPDATE "Player" SET "health" = "health" - 1, "version" = "version" + 1, "updatedAt" = ? WHERE "id" = ? RETURNING "health", "version"`);
    const insert = db.prepare(`${insertLedger} VALUES (?, ?, 'health', -1, ?, ?, 'damage', 'bench', ?, ?)`);
    const changeAll = db.transaction((playerIds: string[]) => {
      const now = new Date().toISOString().replace("Z", "+00:00");
      for (const playerId of playerIds) {
        const row = update.get(now, playerId) as { health: number; version: number };
        insert.run(playerId, now, row.health + 1, row.health, randomUUID(), row.version);
      }
    });
    return { update: async (playerId) => void changeAll.immediate([playerId]), updateAll: async (playerIds) => void changeAll.immediate(playerIds), close: async () => { db.close(); } };
  }
  const pool = new pg.Pool({ ...postgresPoolConfig(database.config.database.url, { max: 16 }) });
  const changeAll = async (playerIds: string[]) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      for (const playerId of playerIds) {
        const { rows } = await client.query<{ health: number; version: number }>(
          `UPDATE "Player" SET "health" = "health" - 1, "version" = "version" + 1, "updatedAt" = now() WHERE "id" = $1 RETURNING "health", "version"`,
          [playerId],
        );
        const row = rows[0]!;
        await client.query(`${insertLedger} VALUES ($1, now(), 'health', -1, $2, $3, 'damage', 'bench', $4, $5)`, [playerId, row.health + 1, row.health, randomUUID(), row.version]);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  };
  return { update: (playerId) => changeAll([playerId]), updateAll: changeAll, close: () => pool.end() };
}

/** Plain Prisma: `update` with `decrement` + ledger `create` in one interactive transaction. */
export function prismaFieldUpdate(database: BenchDatabase): (playerId: string) => Promise<void> {
  const { db } = database.ctx;
  return async (playerId) => {
    await db.$transaction(async (tx) => {
      const row = await tx.player.update({ where: { id: playerId }, data: { health: { decrement: 1 }, version: { increment: 1 } }, select: { health: true, version: true } });
      await tx.playerEvent.create({
        data: { playerId, field: "health", delta: -1, before: row.health + 1, after: row.health, reason: "damage", actor: "bench", changeId: randomUUID(), playerVersion: row.version },
        select: { id: true },
      });
    });
  };
}
