import type { PersistenceContext } from "../persistence/persistence-context.ts";

/** "Online" = active (a game-server write) within this window. */
export const ONLINE_WINDOW_MS = 5 * 60_000;
/** "Current" hit rate = over the stored samples of this window (all instances; samples lag ≤ one sampling interval). */
export const HIT_RATE_WINDOW_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;

export interface OverviewSummary {
  playersTotal: number;
  playersOnline: number;
  playersDead: number;
  playersMortallyWounded: number;
  errorsLastHour: number;
  staleSavesRefusedLastHour: number;
  invalidationsLastHour: { write: number; ttl: number; event: number; manual: number; total: number };
  /** 0–1 over the last HIT_RATE_WINDOW_MS; null when there were no cache reads (no data, not 0 %). */
  cacheHitRate: number | null;
  cacheHitRateWindowSeconds: number;
  healthFloor: number;
}

/**
 * The dashboard's tiles: player counts, errors, and cache counters summed over every instance's
 * stored samples (CacheMetricSample), so whichever instance answers, the tiles agree.
 */
export async function overviewSummary(ctx: PersistenceContext, now = new Date()): Promise<OverviewSummary> {
  const floor = ctx.healthFloor;
  const hourAgo = new Date(now.getTime() - HOUR_MS);
  const [playersTotal, playersOnline, playersDead, playersMortallyWounded, errorsLastHour, lastHour, recent] = await Promise.all([
    ctx.db.player.count(),
    ctx.db.player.count({ where: { lastActiveAt: { gte: new Date(now.getTime() - ONLINE_WINDOW_MS) } } }),
    ctx.db.player.count({ where: { health: { lte: floor } } }),
    ctx.db.player.count({ where: { health: { gt: floor, lte: 0 } } }),
    ctx.db.errorLogEntry.count({ where: { at: { gte: hourAgo } } }),
    ctx.db.cacheMetricSample.aggregate({
      where: { at: { gte: hourAgo } },
      _sum: { staleSavesRefused: true, invalidationsWrite: true, invalidationsTtl: true, invalidationsEvent: true, invalidationsManual: true },
    }),
    ctx.db.cacheMetricSample.aggregate({ where: { at: { gte: new Date(now.getTime() - HIT_RATE_WINDOW_MS) } }, _sum: { hits: true, misses: true } }),
  ]);
  const invalidations = {
    write: lastHour._sum.invalidationsWrite ?? 0,
    ttl: lastHour._sum.invalidationsTtl ?? 0,
    event: lastHour._sum.invalidationsEvent ?? 0,
    manual: lastHour._sum.invalidationsManual ?? 0,
  };
  const hits = recent._sum.hits ?? 0;
  const gets = hits + (recent._sum.misses ?? 0);
  return {
    playersTotal,
    playersOnline,
    playersDead,
    playersMortallyWounded,
    errorsLastHour,
    staleSavesRefusedLastHour: lastHour._sum.staleSavesRefused ?? 0,
    invalidationsLastHour: { ...invalidations, total: invalidations.write + invalidations.ttl + invalidations.event + invalidations.manual },
    cacheHitRate: gets === 0 ? null : hits / gets,
    cacheHitRateWindowSeconds: HIT_RATE_WINDOW_MS / 1000,
    healthFloor: floor,
  };
}
