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
  /** 0–100, null where there were no reads (a gap, not 0 %). */
  hitRatePct: number | null;
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
  return buckets.map((bucket) => ({
    t: new Date(bucket.at).getTime(),
    hitRatePct: bucket.hitRate === null ? null : Math.round(bucket.hitRate * 1000) / 10,
    write: perMinute(bucket.invalidations.write),
    ttl: perMinute(bucket.invalidations.ttl),
    event: perMinute(bucket.invalidations.event),
    manual: perMinute(bucket.invalidations.manual),
    staleSavesRefused: bucket.staleSavesRefused,
    persistenceErrors: bucket.persistenceErrors,
    p50: bucket.writeLatencyP50Ms === null ? null : Math.round(bucket.writeLatencyP50Ms * 100) / 100,
    p99: bucket.writeLatencyP99Ms === null ? null : Math.round(bucket.writeLatencyP99Ms * 100) / 100,
  }));
}

export interface LedgerEvent {
  id: number;
  at: string;
  field: "health" | "experience" | "level";
  delta: number;
  before: number;
  after: number;
  reason: string;
  detail: Record<string, unknown> | null;
  actor: string;
  requestId: string | null;
}

export interface TimelinePoint {
  t: number;
  value: number;
  /** The ledger row behind this point; null for the synthetic start/end points. */
  event: { id: number; reason: string; before: number; after: number; delta: number; actor: string; source: string | null; requestId: string | null } | null;
}

/**
 * A step series for one field: a starting point at the first row's `before` (from the start of the
 * range: the rows are everything since then, so that was the value there), one point per ledger row
 * at its `after`, and a final point at `until` holding the last value (so the line reaches now).
 */
export function fieldTimeline(events: LedgerEvent[], field: LedgerEvent["field"], range: { since: number; until: number }): TimelinePoint[] {
  const rows = events.filter((event) => event.field === field).sort((a, b) => a.id - b.id);
  if (rows.length === 0) return [];
  const first = rows[0]!;
  const firstAt = new Date(first.at).getTime();
  const points: TimelinePoint[] = [{ t: Math.min(firstAt, range.since), value: first.before, event: null }];
  for (const row of rows) {
    const source = row.detail && typeof row.detail.source === "string" ? row.detail.source : null;
    points.push({
      t: new Date(row.at).getTime(),
      value: row.after,
      event: { id: row.id, reason: row.reason, before: row.before, after: row.after, delta: row.delta, actor: row.actor, source, requestId: row.requestId },
    });
  }
  const last = points[points.length - 1]!;
  if (range.until > last.t) points.push({ t: range.until, value: last.value, event: null });
  return points;
}

/**
 * The time window a player's timelines show. A named range runs from `now - rangeMs` to now. "All"
 * (rangeMs null) fits the ledger's own span, padded on both sides, so the value before the first
 * change (100 in the seed story) is visible as a step and an old story is not squeezed against an
 * edge; it never runs past now.
 */
export function timelineWindow(events: Array<{ at: string }>, rangeMs: number | null, now: number): { since: number; until: number } {
  if (rangeMs !== null) return { since: now - rangeMs, until: now };
  if (events.length === 0) return { since: now - 3_600_000, until: now };
  const times = events.map((event) => new Date(event.at).getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  const pad = Math.max(30_000, (last - first) / 8);
  return { since: first - pad, until: Math.min(now, last + 2 * pad) };
}

/**
 * Y-axis ticks for a health chart: the floor, 0 and quarters of maxHealth, so the reference lines
 * sit on labelled values instead of whatever "nice" numbers the chart would pick (105, 75, 45 …).
 */
export function healthAxisTicks(floor: number, maxHealth: number): number[] {
  const quarters = [0.25, 0.5, 0.75].map((share) => Math.round(maxHealth * share));
  return [...new Set([floor, 0, ...quarters, maxHealth])].sort((a, b) => a - b);
}

export const reasonColors: Record<string, string> = {
  damage: "#f0616d",
  heal: "#3fb97f",
  correction: "#e3b341",
  respawn: "#6cb4ee",
  save: "#b48ead",
  experience: "#9aa3ad",
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
