import Database from "better-sqlite3";
import pg from "pg";
import { GENESIS, chainAlgorithmFor, rowHash, writeHead } from "../../lib/ledger/chain.ts";
import type { ChainRow } from "../../lib/ledger/chain.ts";
import { postgresPoolConfig } from "../../lib/persistence/postgres-pool-config.ts";

/**
 * A long, valid ledger backlog on one player, fast: `count` XP writes (one row each) hashed in
 * JavaScript with the chain's own definition (lib/ledger/chain.ts) and inserted in multi-row
 * statements, then the player row set to what they replay to — with the ledger trigger off for that
 * one UPDATE, as the rows are already written. The integrity check and `ledger verify` then see
 * exactly what `count` honest writes through Pnakotic would have left, at ~100× the speed.
 *
 * The player must be fresh (version 1, no ledger rows), as the chain starts at GENESIS.
 */
export interface BacklogResult {
  rows: number;
  version: number;
  experience: number;
  head: string;
}

const COLUMNS = `"playerId", "at", "field", "delta", "before", "after", "reason", "actor", "changeId", "playerVersion", "hash"`;
const ROWS_PER_STATEMENT = 1_000;

export async function appendLedgerBacklog(databaseUrl: string, playerId: string, count: number, onProgress?: (rows: number) => void): Promise<BacklogResult> {
  const dialect = databaseUrl.startsWith("file:") ? "sqlite" : "postgresql";
  const algorithm = chainAlgorithmFor(dialect);
  const base = Date.parse("2026-12-01T00:00:00.000Z");
  let head = GENESIS;
  let experience = 0;
  const batches: unknown[][] = [];
  let batch: unknown[] = [];
  for (let index = 0; index < count; index += 1) {
    const version = index + 2;
    const iso = new Date(base + index).toISOString(); // one millisecond per write: distinct, ordered times
    // As each database renders the column for the hash (lib/ledger/chain-rows.ts).
    const at = dialect === "sqlite" ? iso.replace("Z", "+00:00") : iso.slice(0, 23);
    const row: ChainRow = {
      id: 0,
      playerId,
      field: "experience",
      before: experience,
      after: experience + 1,
      beforeText: null,
      afterText: null,
      reason: "experience",
      detail: null,
      actor: "backlog",
      requestId: null,
      changeId: `backlog-${playerId}-${version}`,
      playerVersion: version,
      at,
      hash: null,
    };
    const hash = rowHash(algorithm, head, row);
    head = writeHead(algorithm, [hash]);
    experience += 1;
    batch.push(playerId, at, "experience", 1, row.before, row.after, "experience", "backlog", row.changeId, version, hash);
    if (batch.length === ROWS_PER_STATEMENT * 11) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  const version = count + 1;
  if (dialect === "sqlite") {
    const db = new Database(databaseUrl.slice("file:".length), { timeout: 30_000 });
    try {
      const trigger = (db.prepare(`SELECT "sql" FROM "sqlite_master" WHERE "type" = 'trigger' AND "name" = 'Player_ledger'`).get() as { sql: string }).sql;
      db.transaction(() => {
        let written = 0;
        for (const values of batches) {
          const rows = values.length / 11;
          db.prepare(`INSERT INTO "PlayerEvent" (${COLUMNS}) VALUES ${Array.from({ length: rows }, () => "(?,?,?,?,?,?,?,?,?,?,?)").join(",")}`).run(...values);
          written += rows;
          onProgress?.(written);
        }
        db.exec(`DROP TRIGGER "Player_ledger"`);
        db.prepare(`UPDATE "Player" SET "experiencePoints" = ?, "version" = ? WHERE "id" = ?`).run(experience, version, playerId);
        db.exec(trigger);
      })();
    } finally {
      db.close();
    }
    return { rows: count, version, experience, head };
  }
  const client = new pg.Client(postgresPoolConfig(databaseUrl));
  await client.connect();
  try {
    await client.query("BEGIN");
    let written = 0;
    for (const values of batches) {
      const rows = values.length / 11;
      const placeholders = Array.from({ length: rows }, (_, row) => `(${Array.from({ length: 11 }, (_, column) => `$${row * 11 + column + 1}`).join(",")})`).join(",");
      await client.query(`INSERT INTO "PlayerEvent" (${COLUMNS}) VALUES ${placeholders}`, values);
      written += rows;
      onProgress?.(written);
    }
    // PostgreSQL keeps the chain head on the row: the next honest write chains onto it.
    await client.query(`ALTER TABLE "Player" DISABLE TRIGGER "Player_ledger"`);
    await client.query(`UPDATE "Player" SET "experiencePoints" = $1, "version" = $2, "ledgerHead" = $3 WHERE "id" = $4`, [experience, version, head, playerId]);
    await client.query(`ALTER TABLE "Player" ENABLE TRIGGER "Player_ledger"`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return { rows: count, version, experience, head };
}
