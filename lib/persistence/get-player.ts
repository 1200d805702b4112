import { playerNotFound } from "../errors/app-error.ts";
import type { PersistenceContext } from "./persistence-context.ts";
import { parseInput } from "../validation/parse-input.ts";
import { playerIdSchema } from "../player-operations/player-inputs.ts";
import { playerSelect, toPlayer } from "./player-record.ts";
import type { Player } from "./player-record.ts";
import { unavailableError } from "./prisma-errors.ts";

export interface PlayerRead {
  player: Player;
  /** Whether the cache answered (X-Cache header). */
  cache: "hit" | "miss";
}

/** Reads through the cache; never returns data older than a completed write (see player-cache.ts). */
export async function getPlayerOrThrow(ctx: PersistenceContext, playerId: string): Promise<PlayerRead> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  if (!ctx.bus.healthy) {
    // The bus may be missing other instances' invalidations, so a cached entry could be stale.
    ctx.cache.countBypass();
    const player = await loadPlayer(ctx, id);
    if (!player) throw playerNotFound(id);
    return { player, cache: "miss" };
  }
  const { value, result } = await ctx.cache.get(id, () => loadPlayer(ctx, id));
  if (!value) throw playerNotFound(id);
  return { player: value, cache: result };
}

/** Reads straight from the database, bypassing the cache. */
export async function loadPlayer(ctx: PersistenceContext, playerId: string): Promise<Player | null> {
  try {
    const row = await ctx.db.player.findUnique({ where: { id: playerId }, select: playerSelect });
    return row ? toPlayer(row, ctx.healthFloor) : null;
  } catch (error) {
    ctx.metrics.recordError("read");
    ctx.logger.error({ module: "persistence", operation: "read", playerId, err: error }, "player read failed");
    throw unavailableError(error) ?? error;
  }
}
