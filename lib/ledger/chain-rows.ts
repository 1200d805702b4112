import { Prisma } from "../persistence/generated/client.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import type { ChainRow } from "./chain.ts";

/**
 * Ledger rows as the chain hashed them: the time and the JSON detail rendered as text by the database
 * itself (PostgreSQL's jsonb text form, SQLite's stored text), which Prisma's typed reads would
 * re-encode. The trigger hashes exactly these expressions (migration 20261125150000_ledger_chain).
 */
function chainColumns(dialect: PersistenceContext["dialect"]) {
  const at = dialect === "postgresql" ? Prisma.raw(`to_char("at", 'YYYY-MM-DD"T"HH24:MI:SS.MS')`) : Prisma.raw(`CAST("at" AS TEXT)`);
  return Prisma.sql`"id", "playerId", "field", "before", "after", "beforeText", "afterText", "reason", CAST("detail" AS TEXT) AS "detail",
    "actor", "requestId", "changeId", "playerVersion", ${at} AS "at", "hash"`;
}

interface RawChainRow extends Omit<ChainRow, "id" | "before" | "after" | "playerVersion"> {
  id: number | bigint;
  before: number | bigint;
  after: number | bigint;
  playerVersion: number | bigint;
}

const toChainRow = (row: RawChainRow): ChainRow => ({ ...row, id: Number(row.id), before: Number(row.before), after: Number(row.after), playerVersion: Number(row.playerVersion) });

export interface ChainRange {
  playerId: string;
  /** Rows with a greater id only. */
  afterId: number;
  /** Rows of writes up to this player version only (the integrity check's consistency bound). */
  maxVersion?: number;
  /** Rows up to this id only. */
  throughId?: number;
}

const rangeCondition = (range: ChainRange) =>
  Prisma.sql`("playerId" = ${range.playerId} AND "id" > ${range.afterId}${range.maxVersion !== undefined ? Prisma.sql` AND "playerVersion" <= ${range.maxVersion}` : Prisma.empty}${
    range.throughId !== undefined ? Prisma.sql` AND "id" <= ${range.throughId}` : Prisma.empty
  })`;

/** Index probes per statement (SQLite allows 500 terms in a compound SELECT). */
const PROBES_PER_STATEMENT = 100;

/**
 * Which of these ranges hold at least one row: one index seek per range (LIMIT 1), so a batch of
 * players with nothing new costs one statement however long any backlog is.
 */
export async function playersWithChainRows(ctx: PersistenceContext, ranges: ChainRange[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let index = 0; index < ranges.length; index += PROBES_PER_STATEMENT) {
    const probes = ranges
      .slice(index, index + PROBES_PER_STATEMENT)
      .map((range, offset) => Prisma.sql`SELECT * FROM (SELECT "playerId" FROM "PlayerEvent" WHERE ${rangeCondition(range)} LIMIT 1) AS ${Prisma.raw(`"p${offset}"`)}`);
    if (probes.length === 0) continue;
    const rows = await ctx.db.$queryRaw<Array<{ playerId: string }>>(Prisma.join(probes, " UNION ALL "));
    for (const row of rows) found.add(row.playerId);
  }
  return found;
}

/** One player's rows in pages of `pageSize`, for exports and prunes of any length in bounded memory. */
export async function* pageChainRows(ctx: PersistenceContext, range: ChainRange, pageSize = 5_000): AsyncGenerator<ChainRow[]> {
  let afterId = range.afterId;
  for (;;) {
    const rows = await ctx.db.$queryRaw<RawChainRow[]>(
      // ORDER BY the index's own columns ("playerId" is fixed, so the order is the same): PostgreSQL
      // then walks the (playerId, id) index and stops at the limit, even before statistics exist,
      // instead of collecting all the player's rows and sorting them for every page.
      Prisma.sql`SELECT ${chainColumns(ctx.dialect)} FROM "PlayerEvent" WHERE ${rangeCondition({ ...range, afterId })} ORDER BY "playerId", "id" LIMIT ${pageSize}`,
    );
    if (rows.length === 0) return;
    const page = rows.map(toChainRow);
    yield page;
    afterId = page[page.length - 1]!.id;
    if (rows.length < pageSize) return;
  }
}
