const numberFormat = new Intl.NumberFormat("en-US");
const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
  timeZone: "UTC",
});

const shortDateTimeFormat = new Intl.DateTimeFormat("en-GB", { month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "UTC" });

export const formatNumber = (value: number) => numberFormat.format(value);
export const formatPercent = (fraction: number | null, digits = 1) => (fraction === null ? "—" : `${(fraction * 100).toFixed(digits)} %`);
/** Times are shown in UTC, like the server logs, so staff compare like with like. */
export const formatTime = (iso: string | number) => timeFormat.format(new Date(iso));
export const formatDateTime = (iso: string | number) => `${dateTimeFormat.format(new Date(iso))} UTC`;
/** For wide tables whose column header already says "(UTC)" and whose rows are recent. */
export const formatShortDateTime = (iso: string | number) => shortDateTimeFormat.format(new Date(iso));

export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return `${Math.max(0, seconds)} s ago`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3_600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}
