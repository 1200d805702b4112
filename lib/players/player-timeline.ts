import { z } from "zod";
import { fitTimelineWindow, markerItemIds, shapeFieldTimeline, withMarkerDetails } from "../dashboard/field-timeline-shape.ts";
import type { ShapedPoint } from "../dashboard/field-timeline-shape.ts";
import { getPlayerOrThrow } from "../persistence/get-player.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import type { Player } from "../persistence/player-record.ts";
import { parseInput } from "../validation/parse-input.ts";
import { queryDate } from "../http/query-params.ts";
import { SqlParams } from "../persistence/sql-writer.ts";
import { timeColumn } from "../persistence/player-update.ts";

export const timelineRanges = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, all: null } as const;

export const playerTimelineQuerySchema = z.strictObject({
  /** Any ledgered field: health, experience, level, or a declared stat's key. */
  field: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "field must be a stat key")
    .default("health"),
  /** A named range (the server takes "now"), so clients never put a timestamp in a cache key. */
  range: z.enum(Object.keys(timelineRanges) as [keyof typeof timelineRanges, ...Array<keyof typeof timelineRanges>]).default("all"),
  /** A custom window (the console's absolute range and drag-to-zoom): both or neither; overrides range. */
  since: queryDate("since", "Start of a custom window (with until; overrides range)").optional(),
  until: queryDate("until", "End of a custom window (with since; overrides range)").optional(),
}).refine((query) => (query.since === undefined) === (query.until === undefined) && (query.since === undefined || query.since.getTime() < query.until!.getTime()), {
  message: "since and until go together, since before until",
  path: ["since"],
});
export type PlayerTimelineQuery = z.input<typeof playerTimelineQuerySchema>;

/** Ledger rows read per timeline at most (newest first); older ones are left out and reported. */
export const TIMELINE_ROW_LIMIT = 20_000;

export interface PlayerTimeline {
  field: string;
  range: { since: string; until: string };
  points: ShapedPoint[];
  /** Ledger rows behind the chart (all fields when the field is health: they are its markers). */
  rowsRead: number;
  /** True when the range held more than TIMELINE_ROW_LIMIT rows: the chart starts at the oldest row read. */
  truncated: boolean;
}

function currentValue(player: Player, field: string): number | null {
  const builtins: Record<string, number> = { health: player.health, maxHealth: player.maxHealth, experience: player.experiencePoints, level: player.level };
  if (field in builtins) return builtins[field]!;
  const stats = (player as Player & { stats?: Record<string, number> }).stats;
  return stats && typeof stats[field] === "number" ? stats[field] : null;
}

/**
 * One field's timeline, shaped on the server: a step line of at most ~1,000 points that keeps
 * every minimum and maximum, and clustered markers (on the health line: changes of every field).
 * Bounded: at most TIMELINE_ROW_LIMIT ledger rows are read, through the (playerId, id) index.
 */
export async function playerTimeline(ctx: PersistenceContext, playerId: string, query: PlayerTimelineQuery, now = Date.now()): Promise<PlayerTimeline> {
  const { field, range, since, until } = parseInput(playerTimelineQuerySchema, query, "query");
  const { player } = await getPlayerOrThrow(ctx, playerId);
  const custom = since !== undefined && until !== undefined ? { since: since.getTime(), until: until.getTime() } : null;
  const rangeMs = timelineRanges[range];
  const markOtherFields = field === "health";
  const atFilter = custom !== null ? { at: { gte: since!, lte: until! } } : rangeMs === null ? {} : { at: { gte: new Date(now - rangeMs) } };
  const newestFirst = await slimLedgerRows(ctx, {
    playerId: player.id,
    field: markOtherFields ? null : field,
    since: "at" in atFilter ? (atFilter.at?.gte ?? null) : null,
    until: custom !== null ? until! : null,
    limit: TIMELINE_ROW_LIMIT + 1,
  });
  const truncated = newestFirst.length > TIMELINE_ROW_LIMIT;
  const rows = newestFirst.slice(0, TIMELINE_ROW_LIMIT).reverse();
  const changes = rows.length > 0 ? { first: rows[0]!.at.getTime(), last: rows[rows.length - 1]!.at.getTime() } : null;
  const window = truncated ? { since: changes!.first, until: custom?.until ?? now } : (custom ?? fitTimelineWindow(changes, rangeMs, now));
  // A custom window that ends in the past: the line's value at its end is the `before` of the
  // field's first change after it (the value now when there is none).
  const after =
    custom !== null && custom.until < now
      ? await ctx.db.playerEvent.findFirst({ where: { playerId: player.id, field, at: { gt: until! } }, orderBy: { id: "asc" }, select: { before: true } })
      : null;
  const current = after?.before ?? currentValue(player, field);
  const shaped = shapeFieldTimeline(rows, { field, ...window, currentValue: current, markOtherFields });
  // Who, why and the request for the (at most ~1,200) changes the markers list.
  const details = await ctx.db.playerEvent.findMany({ where: { id: { in: markerItemIds(shaped) } }, select: { id: true, actor: true, requestId: true, detail: true } });
  const points = withMarkerDetails(shaped, details);
  return { field, range: { since: new Date(window.since).toISOString(), until: new Date(window.until).toISOString() }, points, rowsRead: rows.length, truncated };
}

interface SlimLedgerRow {
  id: number;
  at: Date;
  field: string;
  before: number;
  after: number;
  reason: string;
}

/**
 * A timeline's rows, newest first, through the driver Prisma's adapter uses (ctx.writer): Prisma's
 * per-row result mapping was most of a 10,000-row timeline's time (bench target 6, bench/README.md).
 * The slim columns only: parsing every row's JSON detail costs several times the rest.
 */
async function slimLedgerRows(ctx: PersistenceContext, query: { playerId: string; field: string | null; since: Date | null; until: Date | null; limit: number }): Promise<SlimLedgerRow[]> {
  const params = new SqlParams(ctx.dialect);
  const conditions = [`"playerId" = ${params.add(query.playerId, "text")}`];
  if (query.field !== null) conditions.push(`"field" = ${params.add(query.field, "text")}`);
  if (query.since !== null) conditions.push(`"at" >= ${params.add(query.since, "timestamp")}`);
  if (query.until !== null) conditions.push(`"at" <= ${params.add(query.until, "timestamp")}`);
  const rows = await ctx.writer.query<{ id: number | bigint; at: string | Date; field: string; before: number | bigint; after: number | bigint; reason: string }>(
    `SELECT "id", ${timeColumn(ctx.dialect, "at")}, "field", "before", "after", "reason" FROM "PlayerEvent" WHERE ${conditions.join(" AND ")} ORDER BY "id" DESC LIMIT ${params.add(query.limit, "integer")}`,
    params.values,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    at: row.at instanceof Date ? row.at : new Date(row.at),
    field: row.field,
    before: Number(row.before),
    after: Number(row.after),
    reason: row.reason,
  }));
}
