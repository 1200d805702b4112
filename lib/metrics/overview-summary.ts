import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { healthRangeForStatus } from "../players/health-rules.ts";

/** "Online" = active (a game-server write) within this window. */
export const ONLINE_WINDOW_MS = 5 * 60_000;
/**
 * "Now" = the last 5 minutes: the hit rate, invalidations per minute and stale saves the tiles call
 * current are all taken over this one window (all instances; samples lag ≤ one sampling interval).
 */
export const NOW_WINDOW_MS = 5 * 60_000;
export const HIT_RATE_WINDOW_MS = NOW_WINDOW_MS;
/** The instance id of the seed's invented day of metric samples (prisma/seed.ts): the console marks figures that include them. */
export const DEMO_METRICS_INSTANCE = "demo-seed";
/** Below this many cache reads a hit rate is flagged as a small sample (a few misses swing it by tens of points). */
export const LOW_SAMPLE_READS = 20;
const HOUR_MS = 3_600_000;

/** What the database counts; `summarizeOverview` turns it into the figures the console shows. */
export interface OverviewCounts {
  playersTotal: number;
  playersOnline: number;
  playersDead: number;
  playersMortallyWounded: number;
  errorsLastHour: number;
  staleSavesRefusedLastHour: number;
  invalidationsLastHour: { write: number; ttl: number; event: number; manual: number };
  /** Cache reads over HIT_RATE_WINDOW_MS, all instances. */
  cacheHits: number;
  cacheMisses: number;
  /** Over NOW_WINDOW_MS, all instances. */
  invalidationsNow: { write: number; ttl: number; event: number; manual: number };
  staleSavesRefusedNow: number;
  /** Samples from DEMO_METRICS_INSTANCE within the last hour (the longest window a tile shows). */
  demoSamples: number;
}

export interface OverviewSummary {
  playersTotal: number;
  playersOnline: number;
  playersDead: number;
  playersMortallyWounded: number;
  errorsLastHour: number;
  staleSavesRefusedLastHour: number;
  invalidationsLastHour: { write: number; ttl: number; event: number; manual: number; total: number };
  /** The hour's total divided by 60: one figure whatever range the charts show. */
  invalidationsPerMinuteLastHour: number;
  /** Invalidations over the last nowWindowSeconds, and their rate per minute over that window. */
  invalidationsNow: { write: number; ttl: number; event: number; manual: number; total: number };
  invalidationsPerMinuteNow: number;
  staleSavesRefusedNow: number;
  nowWindowSeconds: number;
  /** Some figures include the seed's invented samples (instance demo-seed): the console says "demo". */
  includesDemoMetrics: boolean;
  /** 0–1 over the last HIT_RATE_WINDOW_MS; null when there were no cache reads (no data, not 0 %). */
  cacheHitRate: number | null;
  /** The hit rate's sample size: cache reads (hits + misses) in its window. */
  cacheReads: number;
  /** True when cacheReads is below LOW_SAMPLE_READS: show the rate with its sample size, not as a verdict. */
  cacheHitRateLowSample: boolean;
  cacheHitRateWindowSeconds: number;
  /** Window of playersOnline. */
  onlineWindowSeconds: number;
  healthFloor: number;
}

/** Every overview figure, computed once (pure; tests/unit/overview-summary.test.ts). */
export function summarizeOverview(counts: OverviewCounts, healthFloor: number): OverviewSummary {
  const { write, ttl, event, manual } = counts.invalidationsLastHour;
  const total = write + ttl + event + manual;
  const reads = counts.cacheHits + counts.cacheMisses;
  const now = counts.invalidationsNow;
  const nowTotal = now.write + now.ttl + now.event + now.manual;
  const nowMinutes = NOW_WINDOW_MS / 60_000;
  return {
    playersTotal: counts.playersTotal,
    playersOnline: counts.playersOnline,
    playersDead: counts.playersDead,
    playersMortallyWounded: counts.playersMortallyWounded,
    errorsLastHour: counts.errorsLastHour,
    staleSavesRefusedLastHour: counts.staleSavesRefusedLastHour,
    invalidationsLastHour: { write, ttl, event, manual, total },
    invalidationsPerMinuteLastHour: Math.round((total / 60) * 10) / 10,
    invalidationsNow: { ...now, total: nowTotal },
    invalidationsPerMinuteNow: Math.round((nowTotal / nowMinutes) * 10) / 10,
    staleSavesRefusedNow: counts.staleSavesRefusedNow,
    nowWindowSeconds: NOW_WINDOW_MS / 1000,
    includesDemoMetrics: counts.demoSamples > 0,
    cacheHitRate: reads === 0 ? null : counts.cacheHits / reads,
    cacheReads: reads,
    cacheHitRateLowSample: reads > 0 && reads < LOW_SAMPLE_READS,
    cacheHitRateWindowSeconds: HIT_RATE_WINDOW_MS / 1000,
    onlineWindowSeconds: ONLINE_WINDOW_MS / 1000,
    healthFloor,
  };
}

/**
 * The dashboard's tiles: player counts, errors, and cache counters summed over every instance's
 * stored samples (CacheMetricSample), so whichever instance answers, the tiles agree. Status counts
 * use the ranges of lib/players/health-rules.ts, the same rule as every player's `status`.
 */
export async function overviewSummary(ctx: PersistenceContext, now = new Date()): Promise<OverviewSummary> {
  const floor = ctx.healthFloor;
  const hourAgo = new Date(now.getTime() - HOUR_MS);
  const [playersTotal, playersOnline, playersDead, playersMortallyWounded, errorsLastHour, lastHour, recent, demoSamples] = await Promise.all([
    ctx.db.player.count(),
    ctx.db.player.count({ where: { lastActiveAt: { gte: new Date(now.getTime() - ONLINE_WINDOW_MS) } } }),
    ctx.db.player.count({ where: { health: healthRangeForStatus("dead", floor) } }),
    ctx.db.player.count({ where: { health: healthRangeForStatus("mortally_wounded", floor) } }),
    ctx.db.errorLogEntry.count({ where: { at: { gte: hourAgo } } }),
    ctx.db.cacheMetricSample.aggregate({
      where: { at: { gte: hourAgo } },
      _sum: { staleSavesRefused: true, invalidationsWrite: true, invalidationsTtl: true, invalidationsEvent: true, invalidationsManual: true },
    }),
    ctx.db.cacheMetricSample.aggregate({
      where: { at: { gte: new Date(now.getTime() - NOW_WINDOW_MS) } },
      _sum: { hits: true, misses: true, staleSavesRefused: true, invalidationsWrite: true, invalidationsTtl: true, invalidationsEvent: true, invalidationsManual: true },
    }),
    ctx.db.cacheMetricSample.count({ where: { instanceId: DEMO_METRICS_INSTANCE, at: { gte: hourAgo } } }),
  ]);
  return summarizeOverview(
    {
      playersTotal,
      playersOnline,
      playersDead,
      playersMortallyWounded,
      errorsLastHour,
      staleSavesRefusedLastHour: lastHour._sum.staleSavesRefused ?? 0,
      invalidationsLastHour: invalidationsOf(lastHour._sum),
      cacheHits: recent._sum.hits ?? 0,
      cacheMisses: recent._sum.misses ?? 0,
      invalidationsNow: invalidationsOf(recent._sum),
      staleSavesRefusedNow: recent._sum.staleSavesRefused ?? 0,
      demoSamples,
    },
    floor,
  );
}

type InvalidationSums = { invalidationsWrite: number | null; invalidationsTtl: number | null; invalidationsEvent: number | null; invalidationsManual: number | null };
const invalidationsOf = (sum: InvalidationSums) => ({
  write: sum.invalidationsWrite ?? 0,
  ttl: sum.invalidationsTtl ?? 0,
  event: sum.invalidationsEvent ?? 0,
  manual: sum.invalidationsManual ?? 0,
});
