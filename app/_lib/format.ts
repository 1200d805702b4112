import { formatClock, formatInstant } from "@/lib/dashboard/time-axis";
import type { DisplayZone } from "@/lib/dashboard/time-axis";

const numberFormat = new Intl.NumberFormat("en-US");

/**
 * The zone every date on the page is shown in. The DisplayZoneProvider sets it in the browser
 * before its children render (and remounts them when it changes); the server renders no dates
 * (data is fetched in the browser), so requests never share it.
 */
let displayZone: DisplayZone = "utc";
export function setDisplayZone(zone: DisplayZone): void {
  displayZone = zone;
}
export function currentDisplayZone(): DisplayZone {
  return displayZone;
}

export const formatNumber = (value: number) => numberFormat.format(value);
export const formatPercent = (fraction: number | null, digits = 1) => (fraction === null ? "—" : `${(fraction * 100).toFixed(digits)} %`);
/** Time of day in the chosen zone (UTC by default, like the server logs). */
export const formatTime = (iso: string | number) => formatClock(iso, displayZone);
/** The console's one date format: "25 Nov 2026, 13:45:02 UTC". */
export const formatDateTime = (iso: string | number) => formatInstant(iso, displayZone);
/** Kept for callers of the former short format: every page now shows the same format. */
export const formatShortDateTime = formatDateTime;

export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return `${Math.max(0, seconds)} s ago`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3_600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}
