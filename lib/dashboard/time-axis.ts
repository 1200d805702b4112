/**
 * Time on the dashboard's axes and labels, as pure functions (tested in tests/unit/time-axis.test.ts):
 * round ticks in the display zone, labels that carry the date when an axis spans days, one date
 * format for every page, and the conversions a custom range needs. No React here.
 */

/** The cookie that remembers the choice (read by the dashboard layout on the server). */
export const DISPLAY_ZONE_COOKIE = "pnakotic_zone";

/** What the staff member chose to read times in; "utc" matches the server logs. */
export type DisplayZone = "utc" | "local";

/** The IANA zone for Intl: "UTC", or undefined for the browser's own zone. */
export function zoneId(zone: DisplayZone): string | undefined {
  return zone === "utc" ? "UTC" : undefined;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Steps a reader can count in: never 7 s or 13 min. */
const steps = [1, 2, 5, 10, 15, 30].map((n) => n * SECOND).concat([1, 2, 5, 10, 15, 30].map((n) => n * MINUTE), [1, 2, 3, 6, 12].map((n) => n * HOUR), [1, 2, 7].map((n) => n * DAY));

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function wallClockFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? "";
  let format = partsFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    partsFormats.set(key, format);
  }
  return format;
}

/** How far the zone's wall clock is ahead of UTC at instant `t`, in ms (+19,800,000 for India). */
export function zoneOffsetMs(t: number, timeZone: string | undefined): number {
  const parts = Object.fromEntries(wallClockFormat(timeZone).formatToParts(new Date(t)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(t / SECOND) * SECOND;
}

export interface TimeAxis {
  /** Instants (ms) that fall on round wall-clock times in the display zone, inside [from, to]. */
  ticks: number[];
  stepMs: number;
  /** The axis covers more than one calendar day: labels carry the date. */
  multiDay: boolean;
}

/**
 * Round ticks for [from, to]: the smallest step from the list that gives at most `maxTicks` ticks,
 * aligned to the wall clock of `timeZone` (whole minutes, hours, midnights there).
 */
export function timeTicks(from: number, to: number, timeZone: string | undefined, maxTicks = 6): TimeAxis {
  const span = Math.max(0, to - from);
  const limit = Math.max(2, maxTicks);
  const weeks = Math.max(1, Math.ceil(span / (limit - 1) / (7 * DAY)));
  const stepMs = steps.find((step) => span / step <= limit - 1) ?? weeks * 7 * DAY;
  const ticks: number[] = [];
  if (span > 0) {
    const offset = zoneOffsetMs(from, timeZone);
    // Align in wall-clock time, then step back to instants with the offset at each tick (a DST
    // change inside the range moves the ticks after it by the hour, as the wall clock does).
    let wall = Math.ceil((from + offset) / stepMs) * stepMs;
    for (let guard = 0; guard < limit + 2; guard += 1) {
      const guess = wall - offset;
      const tick = wall - zoneOffsetMs(guess, timeZone);
      if (tick > to) break;
      if (tick >= from) ticks.push(tick);
      wall += stepMs;
    }
  }
  const multiDay = span > 0 && dayKey(from, timeZone) !== dayKey(to, timeZone);
  return { ticks, stepMs, multiDay };
}

function dayKey(t: number, timeZone: string | undefined): number {
  return Math.floor((t + zoneOffsetMs(t, timeZone)) / DAY);
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone ?? ""}|${JSON.stringify(options)}`;
  let cached = formats.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat("en-GB", { ...options, hourCycle: "h23", timeZone });
    formats.set(key, cached);
  }
  return cached;
}

/**
 * A tick's label: seconds only when the step is below a minute; on an axis spanning days, the date
 * (alone at midnight, "25 Nov 06:00" otherwise) so a 24 h or 7 d chart says which day it shows.
 */
export function formatTick(t: number, axis: Pick<TimeAxis, "stepMs" | "multiDay">, timeZone: string | undefined): string {
  const time = format(timeZone, axis.stepMs < MINUTE ? { hour: "2-digit", minute: "2-digit", second: "2-digit" } : { hour: "2-digit", minute: "2-digit" }).format(t);
  if (!axis.multiDay) return time;
  const date = format(timeZone, { day: "numeric", month: "short" }).format(t);
  const midnight = (t + zoneOffsetMs(t, timeZone)) % DAY === 0;
  return axis.stepMs >= DAY || midnight ? date : `${date} ${time}`;
}

/**
 * The one date-and-time format of the console: "25 Nov 2026, 13:45:02 UTC" (or the browser's zone
 * name, e.g. "GMT+1", when reading local time).
 */
export function formatInstant(t: number | string, zone: DisplayZone): string {
  const instant = typeof t === "number" ? t : new Date(t).getTime();
  const text = format(zoneId(zone), { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(instant);
  return `${text} ${zoneLabel(instant, zone)}`;
}

/** Time of day only, for tooltips and live views whose day is obvious. */
export function formatClock(t: number | string, zone: DisplayZone): string {
  const instant = typeof t === "number" ? t : new Date(t).getTime();
  return format(zoneId(zone), { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(instant);
}

export function zoneLabel(t: number, zone: DisplayZone): string {
  if (zone === "utc") return "UTC";
  const name = format(undefined, { timeZoneName: "short" }).formatToParts(t).find((part) => part.type === "timeZoneName");
  return name?.value ?? "local";
}

/** The value of an <input type="datetime-local"> for instant `t`, read in the display zone. */
export function toDateTimeLocalValue(t: number, zone: DisplayZone): string {
  const wall = new Date(t + zoneOffsetMs(t, zoneId(zone)));
  return wall.toISOString().slice(0, 16);
}

/** An <input type="datetime-local"> value ("2026-11-25T13:40") as an instant, read in the display zone; null when empty or invalid. */
export function fromDateTimeLocalValue(value: string, zone: DisplayZone): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const wall = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  if (Number.isNaN(wall)) return null;
  const guess = wall - zoneOffsetMs(wall, zoneId(zone));
  return wall - zoneOffsetMs(guess, zoneId(zone));
}

/** A zoom selection (two points dragged on a chart, in any order) as a range; null when too narrow to mean anything. */
export function zoomRange(a: number, b: number, minimumMs = 5 * SECOND): { from: number; to: number } | null {
  const from = Math.min(a, b);
  const to = Math.max(a, b);
  return to - from >= minimumMs ? { from, to } : null;
}
