/**
 * Shapes a player's ledger into what a timeline chart draws, whatever the ledger's size: a step
 * line downsampled without losing minima and maxima, and markers clustered so close events stay
 * distinguishable (a cluster says how many changes it holds and lists the first few). Pure; tested
 * in tests/unit/field-timeline-shape.test.ts.
 */

/**
 * The ledger columns the timeline needs (ascending by id). `field` is any ledgered stat key. Who,
 * why and the request are optional: a large ledger is read without them and only the rows that end
 * up listed in a marker get them afterwards (see withMarkerDetails).
 */
export interface TimelineRow {
  id: number;
  at: Date | string;
  field: string;
  before: number;
  after: number;
  reason: string;
  actor?: string;
  requestId?: string | null;
  detail?: unknown;
}

export interface MarkerItem {
  id: number;
  at: string;
  field: string;
  reason: string;
  before: number;
  after: number;
  delta: number;
  actor: string;
  /** A correction's reason (or another change's note). */
  note: string | null;
  source: string | null;
  requestId: string | null;
}

export interface TimelineMarker {
  /** Changes in this cluster (items lists at most MAX_ITEMS_PER_MARKER of them). */
  count: number;
  /** The reason shared by every change in the cluster, or "mixed". */
  reason: string;
  fields: string[];
  items: MarkerItem[];
}

export interface ShapedPoint {
  t: number;
  value: number;
  /** Set on points that stand for one or more ledger rows; null on line-only points. */
  marker: TimelineMarker | null;
}

export interface ShapeOptions {
  field: string;
  since: number;
  until: number;
  /** The field's value now: the line's value when the range holds no change of it. */
  currentValue: number | null;
  /** Line points at most (the markers come on top). */
  maxPoints?: number;
  /** Marker clusters at most: the range is cut into this many slots. */
  maxMarkers?: number;
  /** Rows of other fields become markers on this line too (the health chart shows XP, level, stats). */
  markOtherFields?: boolean;
}

export const MAX_ITEMS_PER_MARKER = 8;

const timeOf = (at: Date | string) => (at instanceof Date ? at.getTime() : Date.parse(at));

function stringFrom(detail: unknown, key: string): string | null {
  if (typeof detail !== "object" || detail === null) return null;
  const value = (detail as Record<string, unknown>)[key];
  return typeof value === "string" ? value : null;
}

function markerItem(row: TimelineRow): MarkerItem {
  return {
    id: row.id,
    at: new Date(timeOf(row.at)).toISOString(),
    field: row.field,
    reason: row.reason,
    before: row.before,
    after: row.after,
    delta: row.after - row.before,
    actor: row.actor ?? "",
    note: stringFrom(row.detail, "note") ?? stringFrom(row.detail, "reason"),
    source: stringFrom(row.detail, "source"),
    requestId: row.requestId ?? null,
  };
}

/** The ledger ids the markers list (the rows whose who/why/request a chart's tooltips show). */
export function markerItemIds(points: ShapedPoint[]): number[] {
  return points.flatMap((point) => point.marker?.items.map((item) => item.id) ?? []);
}

/** Fills in actor, request and note/source of the listed marker items from their full ledger rows. */
export function withMarkerDetails(points: ShapedPoint[], details: Array<{ id: number; actor: string; requestId: string | null; detail: unknown }>): ShapedPoint[] {
  const byId = new Map(details.map((row) => [row.id, row]));
  return points.map((point) =>
    point.marker
      ? {
          ...point,
          marker: {
            ...point.marker,
            items: point.marker.items.map((item) => {
              const row = byId.get(item.id);
              return row ? { ...item, actor: row.actor, requestId: row.requestId, note: stringFrom(row.detail, "note") ?? stringFrom(row.detail, "reason"), source: stringFrom(row.detail, "source") } : item;
            }),
          },
        }
      : point,
  );
}

/**
 * Downsamples step samples (ordered by time) to at most `maxPoints`: the range is cut into buckets
 * and each keeps its first, lowest, highest and last sample, so no minimum or maximum is lost and
 * each bucket ends on its true value. The first and last samples are always kept.
 */
export function downsampleSteps<T extends { t: number; value: number }>(samples: T[], maxPoints: number): T[] {
  if (samples.length <= maxPoints) return samples;
  const bucketCount = Math.max(1, Math.floor((maxPoints - 2) / 4));
  const start = samples[0]!.t;
  const span = Math.max(1, samples[samples.length - 1]!.t - start);
  const keep = new Set<number>([0, samples.length - 1]);
  let bucket = -1;
  let first = 0;
  let low = 0;
  let high = 0;
  const close = (last: number) => {
    if (bucket >= 0) for (const index of [first, low, high, last]) keep.add(index);
  };
  samples.forEach((sample, index) => {
    const current = Math.min(bucketCount - 1, Math.floor(((sample.t - start) / span) * bucketCount));
    if (current !== bucket) {
      close(index - 1);
      bucket = current;
      first = low = high = index;
      return;
    }
    if (sample.value < samples[low]!.value) low = index;
    if (sample.value > samples[high]!.value) high = index;
  });
  close(samples.length - 1);
  return [...keep].sort((a, b) => a - b).map((index) => samples[index]!);
}

/** The chart data of one field: its step line and the markers on it. */
export function shapeFieldTimeline(rows: TimelineRow[], options: ShapeOptions): ShapedPoint[] {
  const { field, since, until, currentValue, maxPoints = 1_000, maxMarkers = 150, markOtherFields = false } = options;
  const own = rows.filter((row) => row.field === field);
  const initial = own.length > 0 ? own[0]!.before : currentValue;
  if (initial === null) return [];
  const marked = markOtherFields ? rows : own;
  if (own.length === 0 && marked.length === 0 && currentValue === null) return [];

  // The step function sampled at every change of this field.
  const firstAt = rows.length > 0 ? timeOf(rows[0]!.at) : since;
  const line: ShapedPoint[] = [{ t: Math.min(since, firstAt), value: initial, marker: null }];
  for (const row of own) line.push({ t: timeOf(row.at), value: row.after, marker: null });
  const lastValue = line[line.length - 1]!.value;
  if (until > line[line.length - 1]!.t) line.push({ t: until, value: lastValue, marker: null });
  const downsampled = downsampleSteps(line, maxPoints);

  // The field's value right after each row (rows of other fields leave it unchanged).
  let value = initial;
  const valueAfter = new Map<number, number>();
  for (const row of rows) {
    if (row.field === field) value = row.after;
    valueAfter.set(row.id, value);
  }

  // Markers: one per slot of the range, holding every change in it; placed at its last change.
  const slotWidth = Math.max(1, (until - Math.min(since, firstAt)) / maxMarkers);
  const origin = Math.min(since, firstAt);
  const markers: ShapedPoint[] = [];
  let slot = Number.NaN;
  for (const row of marked) {
    const t = timeOf(row.at);
    const rowSlot = Math.floor((t - origin) / slotWidth);
    let current = markers[markers.length - 1];
    if (rowSlot !== slot || !current) {
      slot = rowSlot;
      current = { t, value: valueAfter.get(row.id)!, marker: { count: 0, reason: row.reason, fields: [], items: [] } };
      markers.push(current);
    }
    const marker = current.marker!;
    marker.count += 1;
    if (marker.reason !== row.reason) marker.reason = "mixed";
    if (!marker.fields.includes(row.field)) marker.fields.push(row.field);
    if (marker.items.length < MAX_ITEMS_PER_MARKER) marker.items.push(markerItem(row));
    current.t = t;
    current.value = valueAfter.get(row.id)!;
  }

  // Both are true samples of one step function, so merging them by time keeps the line's shape.
  return [...downsampled, ...markers].sort((a, b) => a.t - b.t || (a.marker ? 1 : 0) - (b.marker ? 1 : 0));
}

/**
 * The time window a timeline shows. "All" (rangeMs null) fits the ledger's own span, padded on both
 * sides, so an old story is not squeezed against an edge (it never runs past now). A named range
 * runs up to now but starts no earlier than shortly before its first change, so a few changes at
 * the end of an hour are not squeezed into the right edge. Without changes it is the whole range.
 */
export function fitTimelineWindow(changes: { first: number; last: number } | null, rangeMs: number | null, now: number): { since: number; until: number } {
  if (changes === null) return { since: now - (rangeMs ?? 3_600_000), until: now };
  if (rangeMs === null) {
    const pad = Math.max(30_000, (changes.last - changes.first) / 8);
    return { since: changes.first - pad, until: Math.min(now, changes.last + 2 * pad) };
  }
  const pad = Math.max(30_000, (now - changes.first) / 8);
  return { since: Math.max(now - rangeMs, changes.first - pad), until: now };
}
