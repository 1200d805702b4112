import { z } from "zod";
import { fitTimelineWindow, markerItemIds, shapeFieldTimeline, withMarkerDetails } from "../dashboard/field-timeline-shape.ts";
import type { ShapedPoint } from "../dashboard/field-timeline-shape.ts";
import { getPlayerOrThrow } from "../persistence/get-player.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import type { Player } from "../persistence/player-record.ts";
import { parseInput } from "../validation/parse-input.ts";
import { queryDate } from "../http/query-params.ts";

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
  const newestFirst = await ctx.db.playerEvent.findMany({
    where: { playerId: player.id, ...(markOtherFields ? {} : { field }), ...atFilter },
    orderBy: { id: "desc" },
    take: TIMELINE_ROW_LIMIT + 1,
    // The slim columns only: parsing every row's JSON detail costs several times the rest.
    select: { id: true, at: true, field: true, before: true, after: true, reason: true },
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
