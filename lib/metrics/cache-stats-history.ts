import type { z } from "zod";
import type { cacheStatsQuery } from "../api/api-schemas.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { Prisma } from "../persistence/generated/client.ts";
import { DEMO_METRICS_INSTANCE } from "./overview-summary.ts";
import { assertBucketCount, bucketIndexSql, bucketStart, planBuckets, toNullableNumber, toNumber } from "./time-buckets.ts";

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
  /** Samples in the bucket from the seed's invented day (instance demo-seed): the console marks them as demo. */
  demoSamples: number;
}

const SAMPLE_MS = 10_000;

interface BucketRow {
  bucket: unknown;
  hits: unknown;
  misses: unknown;
  invalidationsWrite: unknown;
  invalidationsTtl: unknown;
  invalidationsEvent: unknown;
  invalidationsManual: unknown;
  evictions: unknown;
  entries: unknown;
  staleSavesRefused: unknown;
  persistenceErrors: unknown;
  writes: unknown;
  writeLatencyP50Ms: unknown;
  writeLatencyP99Ms: unknown;
  demoSamples: unknown;
}

/**
 * Sums the stored samples (all instances) into fixed buckets for the charts, and reports this
 * process's live counters. Latency per bucket is the worst sample's (percentiles do not add).
 * The database sums per bucket (at most MAX_BUCKETS rows come back, whatever the range holds).
 */
export async function cacheStatsHistory(ctx: PersistenceContext, query: CacheStatsQuery) {
  const plan = planBuckets(query, SAMPLE_MS);
  assertBucketCount(plan);
  const { since, until, stepMs, count } = plan;
  const bucketIndex = bucketIndexSql(ctx.dialect, "at", plan);
  const rows = await ctx.db.$queryRaw<BucketRow[]>(Prisma.sql`
    SELECT ${bucketIndex} AS "bucket",
      SUM("hits") AS "hits", SUM("misses") AS "misses",
      SUM("invalidationsWrite") AS "invalidationsWrite", SUM("invalidationsTtl") AS "invalidationsTtl",
      SUM("invalidationsEvent") AS "invalidationsEvent", SUM("invalidationsManual") AS "invalidationsManual",
      SUM("evictions") AS "evictions", MAX("entries") AS "entries",
      SUM("staleSavesRefused") AS "staleSavesRefused", SUM("persistenceErrors") AS "persistenceErrors", SUM("writes") AS "writes",
      MAX("writeLatencyP50Ms") AS "writeLatencyP50Ms", MAX("writeLatencyP99Ms") AS "writeLatencyP99Ms",
      SUM(CASE WHEN "instanceId" = ${DEMO_METRICS_INSTANCE} THEN 1 ELSE 0 END) AS "demoSamples"
    FROM "CacheMetricSample"
    WHERE "at" >= ${since} AND "at" < ${until}
    GROUP BY 1`);
  const buckets: CacheStatsBucket[] = Array.from({ length: count }, (_, index) => ({
    at: bucketStart(plan, index),
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
    demoSamples: 0,
  }));
  for (const row of rows) {
    const bucket = buckets[Math.min(count - 1, Math.max(0, toNumber(row.bucket)))]!;
    bucket.hits += toNumber(row.hits);
    bucket.misses += toNumber(row.misses);
    bucket.invalidations.write += toNumber(row.invalidationsWrite);
    bucket.invalidations.ttl += toNumber(row.invalidationsTtl);
    bucket.invalidations.event += toNumber(row.invalidationsEvent);
    bucket.invalidations.manual += toNumber(row.invalidationsManual);
    bucket.evictions += toNumber(row.evictions);
    bucket.entries = Math.max(bucket.entries, toNumber(row.entries));
    bucket.staleSavesRefused += toNumber(row.staleSavesRefused);
    bucket.persistenceErrors += toNumber(row.persistenceErrors);
    bucket.writes += toNumber(row.writes);
    bucket.demoSamples += toNumber(row.demoSamples);
    bucket.writeLatencyP50Ms = max(bucket.writeLatencyP50Ms, toNullableNumber(row.writeLatencyP50Ms));
    bucket.writeLatencyP99Ms = max(bucket.writeLatencyP99Ms, toNullableNumber(row.writeLatencyP99Ms));
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
    /** Samples in the range from the seed's invented day (instance demo-seed). */
    demoSamples: buckets.reduce((sum, bucket) => sum + bucket.demoSamples, 0),
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

const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
