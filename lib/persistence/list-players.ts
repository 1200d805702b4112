import { z } from "zod";
import type { Prisma } from "./generated/client.ts";
import type { PersistenceContext } from "./persistence-context.ts";
import { parseInput } from "./player-inputs.ts";
import { playerSelect, toPlayer } from "./player-record.ts";
import type { Player } from "./player-record.ts";
import { unavailableError } from "./prisma-errors.ts";

export const playerSortFields = ["name", "health", "experiencePoints", "level", "lastActiveAt", "updatedAt", "version"] as const;

export const listPlayersSchema = z.strictObject({
  search: z.string().trim().max(64, "search is at most 64 characters").optional(),
  status: z.enum(["alive", "mortally_wounded", "dead"]).optional(),
  sort: z.enum(playerSortFields).default("name"),
  order: z.enum(["asc", "desc"]).default("asc"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(64).optional(),
});
export type ListPlayersQuery = z.input<typeof listPlayersSchema>;

export interface PlayerPage {
  items: Player[];
  nextCursor: string | null;
  total: number;
}

/** Lists players straight from the database (lists are not cached; single players are). */
export async function listPlayers(ctx: PersistenceContext, query: ListPlayersQuery): Promise<PlayerPage> {
  const { search, status, sort, order, limit, cursor } = parseInput(listPlayersSchema, query, "query");
  const where: Prisma.PlayerWhereInput = {};
  // SQLite's LIKE (behind `contains`) is case-insensitive for ASCII already; PostgreSQL needs
  // `mode`, which the SQLite client's types do not know (the PostgreSQL client's do).
  if (search) where.name = ctx.dialect === "postgresql" ? ({ contains: search, mode: "insensitive" } as Prisma.StringFilter) : { contains: search };
  if (status === "dead") where.health = { lte: ctx.healthFloor };
  if (status === "mortally_wounded") where.health = { gt: ctx.healthFloor, lte: 0 };
  if (status === "alive") where.health = { gt: 0 };
  try {
    const [rows, total] = await Promise.all([
      ctx.db.player.findMany({
        where,
        orderBy: [{ [sort]: order }, { id: order }],
        take: limit + 1,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        select: playerSelect,
      }),
      ctx.db.player.count({ where }),
    ]);
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => toPlayer(row, ctx.healthFloor)),
      nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
      total,
    };
  } catch (error) {
    ctx.metrics.recordError("read");
    ctx.logger.error({ module: "persistence", operation: "list", err: error }, "player list failed");
    throw unavailableError(error) ?? error;
  }
}
