import { z } from "zod";
import type { Prisma } from "./generated/client.ts";
import { AppError, playerNotFound } from "../errors/app-error.ts";
import type { PersistenceContext } from "./persistence-context.ts";
import { parseInput } from "../validation/parse-input.ts";
import { playerIdSchema } from "../player-operations/player-inputs.ts";
import { checkRange, queryDate, queryInteger } from "../http/query-params.ts";
import { playerEventSelect, toPlayerEvent } from "./player-record.ts";
import type { PlayerEvent } from "./player-record.ts";
import { unavailableError } from "./prisma-errors.ts";
import { SQL_INTEGER_MAX } from "../validation/sql-integer.ts";

export const listPlayerEventsSchema = z
  .strictObject({
    /** A stat key, name | room | profession, or version. */
    field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "field is a stat key such as health or lucidity").optional(),
    since: queryDate("since").optional(),
    until: queryDate("until").optional(),
    limit: queryInteger("limit", { min: 1, max: 1_000, description: "Page size, at most 1000" }).default(200),
    /** The id of the last event of the previous page. */
    cursor: queryInteger("cursor", { min: 0, max: SQL_INTEGER_MAX, description: "nextCursor of the previous page" }).optional(),
    order: z.enum(["asc", "desc"]).default("asc"),
  })
  .superRefine((query, ctx) => checkRange(query, ctx, { allowEqual: true }));
export type ListPlayerEventsQuery = z.input<typeof listPlayerEventsSchema>;

export interface PlayerEventPage {
  items: PlayerEvent[];
  nextCursor: string | null;
}

/** The ledger of one player, oldest first by default (the timeline's source). */
export async function listPlayerEvents(ctx: PersistenceContext, playerId: string, query: ListPlayerEventsQuery): Promise<PlayerEventPage> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const { field, since, until, limit, cursor, order } = parseInput(listPlayerEventsSchema, query, "query");
  const where: Prisma.PlayerEventWhereInput = { playerId: id };
  if (field) where.field = field;
  if (since || until) where.at = { ...(since ? { gte: since } : {}), ...(until ? { lte: until } : {}) };
  if (cursor !== undefined) where.id = order === "asc" ? { gt: cursor } : { lt: cursor };
  try {
    const [exists, rows] = await Promise.all([
      ctx.db.player.findUnique({ where: { id }, select: { id: true } }),
      ctx.db.playerEvent.findMany({ where, orderBy: { id: order }, take: limit + 1, select: playerEventSelect }),
    ]);
    if (!exists) throw playerNotFound(id);
    const page = rows.slice(0, limit);
    return { items: page.map(toPlayerEvent), nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null };
  } catch (error) {
    if (error instanceof AppError) throw error;
    ctx.metrics.recordError("read");
    ctx.logger.error({ module: "persistence", operation: "events", playerId: id, err: error }, "ledger read failed");
    throw unavailableError(error) ?? error;
  }
}
