import type { StatDefinition } from "../stats/stat-definition.ts";
import { SqlParams } from "./sql-writer.ts";
import type { SqlExecutor } from "./sql-writer.ts";

/*
 * The ledger queries that prove a conserved stat was conserved (lib/integrity/check-conservation.ts
 * states the rules). A stat change names its source in the ledger row's detail ({ source }); a
 * transfer's two rows share detail.transferId.
 */

/** Reasons whose rows may carry a declared source or sink (a stat change, or a staff correction of one). */
const SOURCED_REASONS = ["stat", "correction"] as const;
const ROW_LIMIT = 1_000;

/** A JSON member as text; `column` may be qualified (e."detail"). Keys here are constants or validated stat keys. */
function jsonText(dialect: SqlExecutor["dialect"], column: string, key: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)) throw new Error(`unsafe JSON key ${JSON.stringify(key)}`);
  return dialect === "sqlite" ? `json_extract(${column}, '$."${key}"')` : `(${column} ->> '${key}')`;
}

function inList(params: SqlParams, values: readonly string[]): string {
  return values.length === 0 ? "(NULL)" : `(${values.map((value) => params.add(value, "text")).join(", ")})`;
}

/** Condition: the row is a stat change whose source is a declared source (increase) or sink (decrease). */
function declaredFlow(dialect: SqlExecutor["dialect"], params: SqlParams, stat: StatDefinition, table = ""): string {
  const source = jsonText(dialect, `${table}"detail"`, "source");
  const [reason, delta] = [`${table}"reason"`, `${table}"delta"`];
  return `(${reason} IN ${inList(params, SOURCED_REASONS)} AND ((${delta} > 0 AND ${source} IN ${inList(params, stat.sources)}) OR (${delta} < 0 AND ${source} IN ${inList(params, stat.sinks)})))`;
}

export interface UnbalancedTransfer {
  transferId: string | null;
  total: number;
  rows: number;
  eventIds: number[];
  playerId: string;
}

/** Transfers of the stat whose rows do not sum to zero, or that do not have exactly two rows. */
export async function findUnbalancedTransfers(executor: SqlExecutor, stat: StatDefinition): Promise<UnbalancedTransfer[]> {
  const params = new SqlParams(executor.dialect);
  const transferId = jsonText(executor.dialect, `"detail"`, "transferId");
  const ids = executor.dialect === "sqlite" ? `group_concat("id")` : `string_agg("id"::text, ',')`;
  const rows = await executor.query<{ transferId: string | null; total: number | string; rows: number | string; ids: string; playerId: string }>(
    `SELECT ${transferId} AS "transferId", SUM("delta") AS "total", COUNT(*) AS "rows", ${ids} AS "ids", MIN("playerId") AS "playerId"
     FROM "PlayerEvent" WHERE "field" = ${params.add(stat.key, "text")} AND "reason" = 'transfer'
     GROUP BY ${transferId} HAVING SUM("delta") <> 0 OR COUNT(*) <> 2 LIMIT ${ROW_LIMIT}`,
    params.values,
  );
  return rows.map((row) => ({
    transferId: row.transferId,
    total: Number(row.total),
    rows: Number(row.rows),
    eventIds: String(row.ids).split(",").map(Number).sort((a, b) => a - b),
    playerId: row.playerId,
  }));
}

export interface UnexplainedChange {
  id: number;
  playerId: string;
  playerName: string;
  reason: string;
  delta: number;
  source: string | null;
}

/** Rows that changed the stat other than by transfer or a declared source/sink (first ROW_LIMIT, oldest first). */
export async function findUnexplainedChanges(executor: SqlExecutor, stat: StatDefinition): Promise<UnexplainedChange[]> {
  const params = new SqlParams(executor.dialect);
  const field = params.add(stat.key, "text");
  const flow = declaredFlow(executor.dialect, params, stat, "e.");
  const rows = await executor.query<{ id: number | string; playerId: string; playerName: string | null; reason: string; delta: number | string; source: string | null }>(
    `SELECT e."id", e."playerId", p."name" AS "playerName", e."reason", e."delta", ${jsonText(executor.dialect, `e."detail"`, "source")} AS "source"
     FROM "PlayerEvent" e LEFT JOIN "Player" p ON p."id" = e."playerId"
     WHERE e."field" = ${field} AND e."delta" <> 0 AND e."reason" <> 'transfer' AND NOT ${flow}
     ORDER BY e."id" LIMIT ${ROW_LIMIT}`,
    params.values,
  );
  return rows.map((row) => ({ id: Number(row.id), playerId: row.playerId, playerName: row.playerName ?? "", reason: row.reason, delta: Number(row.delta), source: row.source }));
}

export interface SupplyBalance {
  players: number;
  /** What the players hold now. */
  supply: number;
  /** Declared sources minus declared sinks, as the ledger records them. */
  flow: number;
}

/**
 * The stat's total supply and its declared flows, read in ONE statement so both come from the same
 * snapshot: a write committing during the check cannot make them disagree.
 */
export async function readSupplyBalance(executor: SqlExecutor, stat: StatDefinition): Promise<SupplyBalance> {
  const params = new SqlParams(executor.dialect);
  const fallback = params.add(stat.default, "integer");
  const value = jsonText(executor.dialect, `"stats"`, stat.key);
  const held = `COALESCE(${executor.dialect === "sqlite" ? value : `${value}::bigint`}, ${fallback})`;
  const field = params.add(stat.key, "text");
  const flow = declaredFlow(executor.dialect, params, stat);
  const [row] = await executor.query<{ players: number | string; supply: number | string | null; flow: number | string | null }>(
    `SELECT (SELECT COUNT(*) FROM "Player") AS "players", (SELECT SUM(${held}) FROM "Player") AS "supply",
            (SELECT SUM("delta") FROM "PlayerEvent" WHERE "field" = ${field} AND ${flow}) AS "flow"`,
    params.values,
  );
  return { players: Number(row?.players ?? 0), supply: Number(row?.supply ?? 0), flow: Number(row?.flow ?? 0) };
}
