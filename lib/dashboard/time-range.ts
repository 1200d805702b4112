/**
 * A chart's time range as it lives in the URL (`?range=24h`, or `?from=…&to=…` for a custom range
 * or a drag-to-zoom), so a view can be shared and survives a reload. Pure; tested in
 * tests/unit/time-range.test.ts.
 */
export type TimeRange<K extends string> = { kind: "preset"; key: K } | { kind: "custom"; from: number; to: number };

export function parseTimeRange<K extends string>(params: { get(name: string): string | null }, presets: readonly K[], fallback: K): TimeRange<K> {
  const from = Date.parse(params.get("from") ?? "");
  const to = Date.parse(params.get("to") ?? "");
  if (Number.isFinite(from) && Number.isFinite(to) && to > from) return { kind: "custom", from, to };
  const key = params.get("range");
  return { kind: "preset", key: presets.includes(key as K) ? (key as K) : fallback };
}

/** The URL parameters for a range: presets clear from/to, custom ranges clear the preset. */
export function timeRangeParams<K extends string>(range: TimeRange<K>): Record<"range" | "from" | "to", string | null> {
  return range.kind === "preset"
    ? { range: range.key, from: null, to: null }
    : { range: null, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
}

/** The absolute window a range covers at `now` (presets slide with it; custom ranges do not). */
export function resolveTimeRange<K extends string>(range: TimeRange<K>, presetMs: Record<K, number>, now: number): { from: number; to: number } {
  return range.kind === "custom" ? { from: range.from, to: range.to } : { from: now - presetMs[range.key], to: now };
}
