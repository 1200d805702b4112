import { z } from "zod";
import type { Prisma } from "./generated/client.ts";
import { AppError } from "../errors/app-error.ts";
import type { PersistenceContext } from "./persistence-context.ts";
import { parseInput } from "../validation/parse-input.ts";
import { queryInteger, querySearch } from "../http/query-params.ts";
import { playerSelect, toPlayer } from "./player-record.ts";
import type { Player } from "./player-record.ts";
import { unavailableError } from "./prisma-errors.ts";
import { playerIdsByHealthShare } from "../players/health-share-order.ts";
import { playerNameKey } from "../player-operations/player-inputs.ts";
import { statusForHealth } from "../players/health-rules.ts";

/** A player row can be up to ~64 KB (inventory, attributes): 100 of them stay within a few MB. */
export const MAX_PLAYER_PAGE = 100;

export const playerSortFields = ["name", "health", "experiencePoints", "level", "lastActiveAt", "updatedAt", "version"] as const;

export const listPlayersSchema = z.strictObject({
  /** Exact name, compared as names are unique (NFC, case-insensitive): the page holds that player or nothing. */
  name: z.string().min(1, "name must not be empty").max(64, "name is at most 64 characters").optional(),
  search: querySearch("search", 64).optional(),
  status: z.enum(["alive", "mortally_wounded", "dead"]).optional(),
  sort: z.enum(playerSortFields).default("name"),
  order: z.enum(["asc", "desc"]).default("asc"),
  limit: queryInteger("limit", { min: 1, max: MAX_PLAYER_PAGE, description: `Page size, at most ${MAX_PLAYER_PAGE}` }).default(50),
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
  const { name, search, status, sort, order, limit, cursor } = parseInput(listPlayersSchema, query, "query");
  // Engines that key players by name (Ranvier) look one up exactly: one unique-index seek.
  if (name !== undefined) {
    if (search !== undefined) throw new AppError("invalid_input", "Give name (exact) or search (contains), not both", { issues: [{ path: "search", message: "cannot be combined with name" }] });
    return playerByName(ctx, name, status);
  }
  // Archived players are out of every list and search (and so out of the combat lab's picker).
  const where: Prisma.PlayerWhereInput = { archivedAt: null };
  // Name (contains), id (prefix) or room (contains), all matched literally.
  if (search) Object.assign(where, await literalSearchMatch(ctx, search));
  if (status === "dead") where.health = { lte: ctx.healthFloor };
  if (status === "mortally_wounded") where.health = { gt: ctx.healthFloor, lte: 0 };
  if (status === "alive") where.health = { gt: 0 };
  try {
    const [rows, total] = await Promise.all([
      // "health" sorts by the share of maxHealth (lib/players/health-share-order.ts), not by points.
      sort === "health"
        ? playerIdsByHealthShare(ctx, { search, status, order, limit: limit + 1, cursor }).then(async (ids) => {
            const found = await ctx.db.player.findMany({ where: { id: { in: ids } }, select: playerSelect });
            const byId = new Map(found.map((row) => [row.id, row]));
            return ids.flatMap((id) => byId.get(id) ?? []);
          })
        : ctx.db.player.findMany({
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

/** Beyond this many matches, a search with % or _ on SQLite is refused (it reads their ids first). */
const MAX_WILDCARD_SEARCH_MATCHES = 10_000;

/**
 * `name` contains `search`, case-insensitively, with % and _ as ordinary characters. Prisma's
 * `contains` is a LIKE that leaves them as wildcards (so `search=%` matched everyone).
 * PostgreSQL's LIKE escapes with a backslash by default; SQLite's LIKE has no escape character
 * unless the statement names one, which Prisma cannot, so there the ids come from instr().
 * SQLite's LIKE and lower() both fold ASCII case only, so both paths match the same names.
 */
async function literalSearchMatch(ctx: PersistenceContext, search: string): Promise<Prisma.PlayerWhereInput> {
  if (ctx.dialect === "postgresql") {
    // `mode` is known to the PostgreSQL client's types, not the SQLite client's.
    const escaped = search.replace(/[\\%_]/g, (character) => `\\${character}`);
    const contains = { contains: escaped, mode: "insensitive" } as Prisma.StringFilter;
    return { OR: [{ name: contains }, { id: { startsWith: escaped } }, { currentRoomId: contains }] };
  }
  // SQLite's LIKE (behind `contains`) is case-insensitive for ASCII and has no escape through
  // Prisma, so a search with a wildcard character goes through instr() instead.
  if (!/[%_]/.test(search)) return { OR: [{ name: { contains: search } }, { id: { startsWith: search } }, { currentRoomId: { contains: search } }] };
  try {
    const rows = await ctx.db.$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM "Player"
      WHERE instr(lower("name"), lower(${search})) > 0 OR substr("id", 1, length(${search})) = ${search} OR instr(lower(COALESCE("currentRoomId", '')), lower(${search})) > 0
      LIMIT ${MAX_WILDCARD_SEARCH_MATCHES + 1}`;
    if (rows.length > MAX_WILDCARD_SEARCH_MATCHES) {
      throw new AppError("invalid_input", `Invalid query: search matches more than ${MAX_WILDCARD_SEARCH_MATCHES} players; narrow it`, {
        issues: [{ path: "search", message: `matches more than ${MAX_WILDCARD_SEARCH_MATCHES} players` }],
      });
    }
    return { id: { in: rows.map((row) => row.id) } };
  } catch (error) {
    if (error instanceof AppError) throw error;
    ctx.metrics.recordError("read");
    ctx.logger.error({ module: "persistence", operation: "list", err: error }, "player search failed");
    throw unavailableError(error) ?? error;
  }
}

/** The page for `?name=`: the one player whose name key matches (and has the status asked for), or none. */
async function playerByName(ctx: PersistenceContext, name: string, status: Player["status"] | undefined): Promise<PlayerPage> {
  try {
    const row = await ctx.db.player.findUnique({ where: { nameKey: playerNameKey(name.trim()) }, select: playerSelect });
    // An archived player is out of lookups as it is out of lists.
    const player = row && row.archivedAt === null ? toPlayer(row, ctx.healthFloor) : null;
    const matches = player !== null && (status === undefined || statusForHealth(player.health, ctx.healthFloor) === status);
    return { items: matches ? [player] : [], nextCursor: null, total: matches ? 1 : 0 };
  } catch (error) {
    ctx.metrics.recordError("read");
    ctx.logger.error({ module: "persistence", operation: "read", err: error }, "player lookup by name failed");
    throw unavailableError(error) ?? error;
  }
}
