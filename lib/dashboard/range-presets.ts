/**
 * The console's named time ranges, defined once: every range picker, query hook and chart takes
 * its presets from here (pick the keys a page offers). Named, not timestamped, so a query key stays
 * stable while the window slides. "all" has no fixed span (the player's whole history).
 */
const spans = {
  "15m": { label: "15 min", ms: 15 * 60_000 },
  "1h": { label: "1 h", ms: 3_600_000 },
  "24h": { label: "24 h", ms: 86_400_000 },
  "7d": { label: "7 d", ms: 7 * 86_400_000 },
} as const;

export type RangeKey = keyof typeof spans;

/** `{ key: ms }` for the keys given: what a hook needs to turn a preset into since/until. */
export function rangeSpans<K extends RangeKey>(keys: readonly K[]): { [P in K]: number } {
  return Object.fromEntries(keys.map((key) => [key, spans[key].ms])) as { [P in K]: number };
}

/** The picker's buttons for the keys given, in that order. */
export function rangePresets<K extends RangeKey>(keys: readonly K[]): Array<{ key: K; label: string; ms: number }> {
  return keys.map((key) => ({ key, label: spans[key].label, ms: spans[key].ms }));
}
