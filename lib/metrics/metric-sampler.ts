import type { PlayerCache } from "../cache/player-cache.ts";
import type { Logger } from "../logging/logger.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import type { PersistenceMetrics } from "./persistence-metrics.ts";

interface Totals {
  hits: number;
  misses: number;
  invalidationsWrite: number;
  invalidationsTtl: number;
  invalidationsEvent: number;
  invalidationsManual: number;
  evictions: number;
  staleSavesRefused: number;
  persistenceErrors: number;
  writes: number;
}

export interface MetricSamplerOptions {
  db: PrismaClient;
  cache: PlayerCache<{ version: number }>;
  metrics: PersistenceMetrics;
  logger: Logger;
  instanceId: string;
  intervalMs: number;
  retentionDays: number;
}

/**
 * Every interval, writes this process's counter *deltas* to CacheMetricSample (the dashboard's
 * history, which survives restarts) and deletes samples older than the retention.
 */
export class MetricSampler {
  private last: Totals;
  private lastAt = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MetricSamplerOptions) {
    this.last = this.totals();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sample().catch((error: unknown) => {
        this.options.logger.error({ module: "metrics", err: error }, "could not store a metrics sample");
      });
    }, this.options.intervalMs);
    // Sampling must never keep a CLI or a test process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample now; exposed for tests and for a final sample at shutdown. */
  async sample(now = new Date()): Promise<void> {
    const { db, cache, metrics, instanceId, retentionDays } = this.options;
    cache.sweepExpired();
    const current = this.totals();
    const previous = this.last;
    this.last = current;
    const intervalMs = now.getTime() - this.lastAt;
    this.lastAt = now.getTime();
    const delta = (key: keyof Totals) => current[key] - previous[key];
    const latency = metrics.takeLatencyPercentiles();
    await db.cacheMetricSample.create({
      data: {
        at: now,
        instanceId,
        intervalMs: Math.max(0, Math.round(intervalMs)),
        hits: delta("hits"),
        misses: delta("misses"),
        invalidationsWrite: delta("invalidationsWrite"),
        invalidationsTtl: delta("invalidationsTtl"),
        invalidationsEvent: delta("invalidationsEvent"),
        invalidationsManual: delta("invalidationsManual"),
        evictions: delta("evictions"),
        entries: cache.size,
        staleSavesRefused: delta("staleSavesRefused"),
        persistenceErrors: delta("persistenceErrors"),
        writes: delta("writes"),
        writeLatencyP50Ms: latency.p50,
        writeLatencyP99Ms: latency.p99,
      },
    });
    const cutoff = new Date(now.getTime() - retentionDays * 24 * 3_600_000);
    await db.cacheMetricSample.deleteMany({ where: { at: { lt: cutoff } } });
  }

  private totals(): Totals {
    const { counters } = this.options.cache;
    const { metrics } = this.options;
    return {
      hits: counters.hits,
      misses: counters.misses,
      invalidationsWrite: counters.invalidations.write,
      invalidationsTtl: counters.invalidations.ttl,
      invalidationsEvent: counters.invalidations.event,
      invalidationsManual: counters.invalidations.manual,
      evictions: counters.evictions,
      staleSavesRefused: metrics.staleSavesRefused,
      persistenceErrors: metrics.totalErrors(),
      writes: metrics.writes,
    };
  }
}
