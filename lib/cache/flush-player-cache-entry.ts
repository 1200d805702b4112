import { playerNotFound } from "../errors/app-error.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";

/**
 * An admin's manual flush of one player's entry (counted as `manual`), audited. Other instances
 * are told too, so "flush" means flushed everywhere.
 */
export async function flushPlayerCacheEntry(ctx: PersistenceContext, playerId: string, options: WriteOptions): Promise<{ wasCached: boolean }> {
  const player = await ctx.db.player.findUnique({ where: { id: playerId }, select: { id: true, version: true } });
  if (!player) throw playerNotFound(playerId);
  const wasCached = ctx.cache.invalidate(playerId, "manual");
  await ctx.db.auditEntry.create({
    data: { actor: options.actor.name, action: "player.cache_flush", playerId, after: { wasCached }, requestId: options.requestId ?? null },
  });
  await ctx.bus.publish({ playerId, version: player.version, origin: ctx.instanceId });
  return { wasCached };
}
