import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { healthRangeForStatus } from "./health-rules.ts";
import type { PlayerStatus } from "./health-rules.ts";

export interface HealthShareQuery {
  search?: string;
  status?: PlayerStatus;
  order: "asc" | "desc";
  limit: number;
  /** The id of the last player of the previous page. */
  cursor?: string;
}

/**
 * Player ids ordered by health as a share of maxHealth (then id), one page of them: "health" sorts
 * 40 / 200 below 30 / 50. Prisma cannot order by an expression, so this one query is SQL, written
 * for both dialects (placeholders differ); the filters mirror listPlayers' (name, id prefix, room;
 * status by the ranges of health-rules.ts). Keyset paging after `cursor`.
 */
export async function playerIdsByHealthShare(ctx: PersistenceContext, query: HealthShareQuery): Promise<string[]> {
  const postgres = ctx.dialect === "postgresql";
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return postgres ? `$${params.length}` : "?";
  };
  // Double-precision division in both dialects, so the keyset comparison below is exact.
  const share = `(CAST("health" AS ${postgres ? "DOUBLE PRECISION" : "REAL"}) / "maxHealth")`;
  const conditions: string[] = [`"archivedAt" IS NULL`];
  if (query.search) {
    const escaped = query.search.replace(/[\\%_]/g, (character) => `\\${character}`);
    const like = postgres ? "ILIKE" : "LIKE";
    conditions.push(
      `("name" ${like} ${param(`%${escaped}%`)} ESCAPE '\\' OR "id" LIKE ${param(`${escaped}%`)} ESCAPE '\\' OR "currentRoomId" ${like} ${param(`%${escaped}%`)} ESCAPE '\\')`,
    );
  }
  if (query.status) {
    const range = healthRangeForStatus(query.status, ctx.healthFloor);
    if (range.gt !== undefined) conditions.push(`"health" > ${param(range.gt)}`);
    if (range.lte !== undefined) conditions.push(`"health" <= ${param(range.lte)}`);
  }
  if (query.cursor) {
    const last = await ctx.db.player.findUnique({ where: { id: query.cursor }, select: { health: true, maxHealth: true } });
    if (last) {
      const after = query.order === "asc" ? ">" : "<";
      const lastShare = last.health / last.maxHealth;
      // The leading range (≥ / ≤) lets the expression index seek instead of scanning from the start.
      conditions.push(`${share} ${after}= ${param(lastShare)} AND (${share} ${after} ${param(lastShare)} OR "id" ${after} ${param(query.cursor)})`);
    }
  }
  const direction = query.order === "asc" ? "ASC" : "DESC";
  const sql = `SELECT "id" FROM "Player" WHERE ${conditions.join(" AND ")} ORDER BY ${share} ${direction}, "id" ${direction} LIMIT ${param(query.limit)}`;
  const rows = await ctx.db.$queryRawUnsafe<Array<{ id: string }>>(sql, ...params);
  return rows.map((row) => row.id);
}
