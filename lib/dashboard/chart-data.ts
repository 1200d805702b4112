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
 * A step series for one field: a starting point at the first row's `before`, one point per ledger
 * row at its `after`, and a final point at `until` holding the last value (so the line reaches now).
 */
export function fieldTimeline(events: LedgerEvent[], field: LedgerEvent["field"], range: { since: number; until: number }): TimelinePoint[] {
  const rows = events.filter((event) => event.field === field).sort((a, b) => a.id - b.id);
  if (rows.length === 0) return [];
  const first = rows[0]!;
  const firstAt = new Date(first.at).getTime();
  const points: TimelinePoint[] = [{ t: Math.min(firstAt, Math.max(range.since, firstAt - 1_000)), value: first.before, event: null }];
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
