import { z } from "zod";
import type { Prisma } from "./generated/client.ts";
import { AppError, playerNotFound } from "../errors/app-error.ts";
import type { PersistenceContext } from "./persistence-context.ts";
import { parseInput, playerIdSchema } from "./player-inputs.ts";
import { ledgerFields, playerEventSelect, toPlayerEvent } from "./player-record.ts";
import type { PlayerEvent } from "./player-record.ts";
import { unavailableError } from "./prisma-errors.ts";

export const listPlayerEventsSchema = z
  .strictObject({
    field: z.enum(ledgerFields).optional(),
    since: z.coerce.date({ error: "since must be an ISO date-time" }).optional(),
    until: z.coerce.date({ error: "until must be an ISO date-time" }).optional(),
    limit: z.coerce.number().int().min(1).max(1_000).default(200),
    /** The id of the last event of the previous page. */
    cursor: z.coerce.number().int().min(0).optional(),
    order: z.enum(["asc", "desc"]).default("asc"),
  })
  .refine((query) => !query.since || !query.until || query.since <= query.until, {
    message: "since must not be after until",
    path: ["since"],
  });
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
