import type { z } from "zod";
import type { cacheStatsQuery } from "../api/api-schemas.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";

export type CacheStatsQuery = z.infer<typeof cacheStatsQuery>;

export interface CacheStatsBucket {
  at: string;
  hits: number;
  misses: number;
  /** null when there were no gets in the bucket (no data, not 0 %). */
  hitRate: number | null;
  invalidations: { write: number; ttl: number; event: number; manual: number };
  evictions: number;
  entries: number;
  staleSavesRefused: number;
  persistenceErrors: number;
  writes: number;
  writeLatencyP50Ms: number | null;
  writeLatencyP99Ms: number | null;
}

const TARGET_BUCKETS = 120;
const SAMPLE_MS = 10_000;

/**
 * Sums the stored samples (all instances) into fixed buckets for the charts, and reports this
 * process's live counters. Latency per bucket is the worst sample's (percentiles do not add).
 */
export async function cacheStatsHistory(ctx: PersistenceContext, query: CacheStatsQuery) {
  const until = query.until ?? new Date();
  const since = query.since ?? new Date(until.getTime() - 3_600_000);
  const rangeMs = until.getTime() - since.getTime();
  const stepMs = (query.step ?? Math.max(SAMPLE_MS, Math.ceil(rangeMs / TARGET_BUCKETS / SAMPLE_MS) * SAMPLE_MS) / 1000) * 1000;
  const samples = await ctx.db.cacheMetricSample.findMany({
    where: { at: { gte: since, lt: until } },
    orderBy: { at: "asc" },
  });
  const count = Math.max(1, Math.ceil(rangeMs / stepMs));
  const buckets: CacheStatsBucket[] = Array.from({ length: count }, (_, index) => ({
    at: new Date(since.getTime() + index * stepMs).toISOString(),
    hits: 0,
    misses: 0,
    hitRate: null,
    invalidations: { write: 0, ttl: 0, event: 0, manual: 0 },
    evictions: 0,
    entries: 0,
    staleSavesRefused: 0,
    persistenceErrors: 0,
    writes: 0,
    writeLatencyP50Ms: null,
    writeLatencyP99Ms: null,
  }));
  const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  for (const sample of samples) {
    const bucket = buckets[Math.min(count - 1, Math.floor((sample.at.getTime() - since.getTime()) / stepMs))]!;
    bucket.hits += sample.hits;
    bucket.misses += sample.misses;
    bucket.invalidations.write += sample.invalidationsWrite;
    bucket.invalidations.ttl += sample.invalidationsTtl;
    bucket.invalidations.event += sample.invalidationsEvent;
    bucket.invalidations.manual += sample.invalidationsManual;
    bucket.evictions += sample.evictions;
    bucket.entries = Math.max(bucket.entries, sample.entries);
    bucket.staleSavesRefused += sample.staleSavesRefused;
    bucket.persistenceErrors += sample.persistenceErrors;
    bucket.writes += sample.writes;
    bucket.writeLatencyP50Ms = max(bucket.writeLatencyP50Ms, sample.writeLatencyP50Ms);
    bucket.writeLatencyP99Ms = max(bucket.writeLatencyP99Ms, sample.writeLatencyP99Ms);
  }
  for (const bucket of buckets) {
    const gets = bucket.hits + bucket.misses;
    bucket.hitRate = gets === 0 ? null : bucket.hits / gets;
  }
  const { counters } = ctx.cache;
  const gets = counters.hits + counters.misses;
  return {
    range: { since: since.toISOString(), until: until.toISOString(), stepSeconds: stepMs / 1000 },
    buckets,
    current: {
      instanceId: ctx.instanceId,
      hits: counters.hits,
      misses: counters.misses,
      hitRate: gets === 0 ? null : counters.hits / gets,
      invalidations: { ...counters.invalidations },
      evictions: counters.evictions,
      entries: ctx.cache.size,
      entryAges: ctx.cache.entryAges(),
      staleSavesRefused: ctx.metrics.staleSavesRefused,
      persistenceErrors: ctx.metrics.totalErrors(),
      writes: ctx.metrics.writes,
    },
  };
}
