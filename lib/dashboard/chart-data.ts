import { LOW_SAMPLE_READS } from "../metrics/overview-summary.ts";

/**
 * Pure shaping of API data into chart rows. Charts receive data already shaped (tested in
 * tests/unit/chart-data.test.ts); no React here.
 */

export interface StatsBucket {
  at: string;
  hits: number;
  misses: number;
  hitRate: number | null;
  invalidations: { write: number; ttl: number; event: number; manual: number };
  staleSavesRefused: number;
  persistenceErrors: number;
  writes: number;
  writeLatencyP50Ms: number | null;
  writeLatencyP99Ms: number | null;
}

export interface StatsRow {
  t: number;
  /** 0–100, null where there were no reads (a gap, not 0 %) or too few to judge (see hitRateLowSamplePct). */
  hitRatePct: number | null;
  /** The rate of a bucket with fewer than LOW_SAMPLE_READS reads: drawn as a faint dot, not as a plunge of the line. */
  hitRateLowSamplePct: number | null;
  /** Cache reads in the bucket: the hit rate's sample size. */
  reads: number;
  /** Invalidations per minute, by cause. */
  write: number;
  ttl: number;
  event: number;
  manual: number;
  staleSavesRefused: number;
  persistenceErrors: number;
  p50: number | null;
  p99: number | null;
}

export function cacheStatsRows(buckets: StatsBucket[], stepSeconds: number): StatsRow[] {
  const perMinute = (count: number) => Math.round((count * 60 * 100) / stepSeconds) / 100;
  return buckets.map((bucket) => {
    const reads = bucket.hits + bucket.misses;
    const pct = bucket.hitRate === null || reads === 0 ? null : Math.round(bucket.hitRate * 1000) / 10;
    const lowSample = reads < LOW_SAMPLE_READS;
    return {
      t: new Date(bucket.at).getTime(),
      hitRatePct: lowSample ? null : pct,
      hitRateLowSamplePct: lowSample ? pct : null,
      reads,
      write: perMinute(bucket.invalidations.write),
      ttl: perMinute(bucket.invalidations.ttl),
      event: perMinute(bucket.invalidations.event),
      manual: perMinute(bucket.invalidations.manual),
      staleSavesRefused: bucket.staleSavesRefused,
      persistenceErrors: bucket.persistenceErrors,
      p50: bucket.writeLatencyP50Ms === null ? null : Math.round(bucket.writeLatencyP50Ms * 100) / 100,
      p99: bucket.writeLatencyP99Ms === null ? null : Math.round(bucket.writeLatencyP99Ms * 100) / 100,
    };
  });
}

/** Which overview charts have nothing to draw in their range: each says "No data" on its own. */
export function chartEmptiness(rows: StatsRow[]) {
  return {
    hitRate: rows.every((row) => row.reads === 0),
    invalidations: rows.every((row) => row.write + row.ttl + row.event + row.manual === 0),
    conflicts: rows.every((row) => row.staleSavesRefused + row.persistenceErrors === 0),
    latency: rows.every((row) => row.p50 === null && row.p99 === null),
  };
}

export const invalidationCauses = ["write", "ttl", "event", "manual"] as const;
export type InvalidationCause = (typeof invalidationCauses)[number];

/**
 * Which causes the stacked invalidations chart draws, and which it only names: a cause that is zero
 * over the whole range would be stacked on top of the others and draw its flat line over theirs.
 */
export function invalidationSeries(rows: StatsRow[]): { drawn: InvalidationCause[]; none: InvalidationCause[] } {
  const totals = Object.fromEntries(invalidationCauses.map((cause) => [cause, rows.reduce((sum, row) => sum + row[cause], 0)])) as Record<InvalidationCause, number>;
  return { drawn: invalidationCauses.filter((cause) => totals[cause] > 0), none: invalidationCauses.filter((cause) => totals[cause] === 0) };
}

export interface LedgerEvent {
  id: number;
  at: string;
  /** A stat key (health, experience, level, or a declared stat), name | room | profession, or version. */
  field: string;
  delta: number;
  before: number;
  after: number;
  reason: string;
  detail: Record<string, unknown> | null;
  actor: string;
  requestId: string | null;
  changeId: string;
}

/**
 * Y-axis ticks for a health chart: the floor, 0 and quarters of maxHealth, so the reference lines
 * sit on labelled values instead of whatever "nice" numbers the chart would pick (105, 75, 45 …).
 */
export function healthAxisTicks(floor: number, maxHealth: number): number[] {
  const quarters = [0.25, 0.5, 0.75].map((share) => Math.round(maxHealth * share));
  return [...new Set([floor, 0, ...quarters, maxHealth])].sort((a, b) => a - b);
}

/** CSS variables (app/globals.css), so markers keep 3:1 contrast in the light theme as well as the dark. */
export const reasonColors: Record<string, string> = {
  damage: "var(--reason-damage)",
  heal: "var(--reason-heal)",
  correction: "var(--reason-correction)",
  respawn: "var(--reason-respawn)",
  save: "var(--reason-save)",
  experience: "var(--reason-experience)",
  stat: "var(--reason-experience)",
  restore: "var(--reason-correction)",
  revert: "var(--reason-correction)",
  external: "var(--reason-damage)",
};

export interface ErrorBucketRow {
  t: number;
  error: number;
  fatal: number;
}

/** The error histogram's buckets (GET /api/v1/errors/histogram) as chart rows: counts per bucket. */
export function errorHistogramRows(buckets: Array<{ at: string; error: number; fatal: number }>): ErrorBucketRow[] {
  return buckets.map((bucket) => ({ t: new Date(bucket.at).getTime(), error: bucket.error, fatal: bucket.fatal }));
}

/**
 * What one bar covers, for the chart's title: the API widens buckets beyond a minute for long
 * ranges (about 120 bars), and a count per 12 minutes must not be labelled "per minute".
 */
export function bucketWidthLabel(stepSeconds: number): string {
  const minutes = Math.round(stepSeconds / 60);
  if (minutes <= 1) return "minute";
  if (minutes % 1_440 === 0) return minutes === 1_440 ? "day" : `${minutes / 1_440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "hour" : `${minutes / 60} h`;
  return `${minutes} min`;
}
