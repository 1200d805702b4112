import { z } from "zod";
import { AppError } from "../errors/app-error.ts";
import { parseInput } from "../validation/parse-input.ts";

/*
 * The one place query-string values are parsed. Every route's query schema (lib/api/api-schemas.ts,
 * and the list schemas it reuses) builds on these, so every route refuses the same things with the
 * same messages:
 *  - integers are decimal only ("16", never "0x10", "1e3", " 16" or "16.0"), within stated bounds;
 *  - dates are ISO 8601 (a date, or a date-time; without an offset it is UTC), between
 *    EARLIEST_QUERY_DATE and one day after now — "0" is not the year 2000, and a date JavaScript
 *    cannot represent is a 422, not a 500;
 *  - ranges (since..until) are ordered and no wider than the route allows.
 * Direct callers (tests, scripts) may pass numbers and Date objects: they are checked in their
 * decimal / ISO form, with the same bounds.
 */

/** No Pnakotic record predates this; anything earlier is a mistake (e.g. `since=0`). */
export const EARLIEST_QUERY_DATE = new Date("2000-01-01T00:00:00.000Z");
/** How far past the server's clock a date may reach (a caller's clock may run ahead). */
export const QUERY_DATE_MAX_AHEAD_MS = 86_400_000;

const DECIMAL_INTEGER = /^-?[0-9]{1,16}$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export const describeDateBounds = () => `between ${EARLIEST_QUERY_DATE.toISOString().slice(0, 10)} and one day after now`;

/** A decimal integer in [min, max]; `what` names it in messages. Shown in OpenAPI as an integer with its bounds. */
export function queryInteger(what: string, bounds: { min: number; max: number; description?: string }) {
  const { min, max } = bounds;
  return z
    .preprocess(
      (value) => (typeof value === "number" ? String(value) : value),
      z.string({ error: `${what} must be a decimal integer` }).transform((value, ctx) => {
        const number = DECIMAL_INTEGER.test(value) ? Number(value) : Number.NaN;
        if (!Number.isSafeInteger(number)) {
          ctx.addIssue({ code: "custom", message: `${what} must be a decimal integer`, input: value });
          return z.NEVER;
        }
        if (number < min || number > max) {
          ctx.addIssue({ code: "custom", message: `${what} must be between ${min.toLocaleString("en-US")} and ${max.toLocaleString("en-US")}`, input: value });
          return z.NEVER;
        }
        return number;
      }),
    )
    .meta({ type: "integer", minimum: min, maximum: max, ...(bounds.description ? { description: bounds.description } : {}) });
}

/** An ISO 8601 date or date-time within the query date bounds. */
export function queryDate(what: string, description?: string) {
  return z
    .preprocess(
      // Direct callers may pass a Date; the same checks apply to its ISO form.
      (value) => (value instanceof Date ? (Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString()) : value),
      z.string({ error: `${what} must be an ISO 8601 date-time` }).transform((value, ctx) => {
        const date = parseIsoDate(value);
        if (date === null) {
          ctx.addIssue({ code: "custom", message: `${what} must be an ISO 8601 date-time such as 2026-11-25T14:00:00Z`, input: value });
          return z.NEVER;
        }
        if (date < EARLIEST_QUERY_DATE || date.getTime() > Date.now() + QUERY_DATE_MAX_AHEAD_MS) {
          ctx.addIssue({ code: "custom", message: `${what} must be ${describeDateBounds()}`, input: value });
          return z.NEVER;
        }
        return date;
      }),
    )
    .meta({
      type: "string",
      format: "date-time",
      description: `${description ? `${description}. ` : ""}ISO 8601 (UTC when no offset is given), ${describeDateBounds()}.`,
    });
}

/** Strict ISO 8601: the calendar fields must exist (no 2026-02-30 rolling over into March). */
function parseIsoDate(text: string): Date | null {
  const match = ISO_8601.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, zone] = match;
  const date = new Date(hour === undefined ? `${year}-${month}-${day}T00:00:00Z` : zone === undefined ? `${text}Z` : text);
  if (Number.isNaN(date.getTime())) return null;
  // Compare the calendar date in the caller's own offset: Date silently rolls invalid days over.
  const offsetMinutes = zone && zone !== "Z" ? (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) : 0;
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const valid =
    local.getUTCFullYear() === Number(year) &&
    local.getUTCMonth() + 1 === Number(month) &&
    local.getUTCDate() === Number(day) &&
    Number(hour ?? 0) < 24 &&
    Number(minute ?? 0) < 60 &&
    Number(second ?? 0) < 60;
  return valid ? date : null;
}

/** A search string matched literally: the value as given, trimmed, at most `max` characters. */
export function querySearch(what: string, max: number) {
  return z
    .string({ error: `${what} must be a string` })
    .trim()
    .max(max, `${what} is at most ${max} characters`)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), `${what} must not contain control characters`)
    .meta({ description: `Matched literally (% and _ are ordinary characters), case-insensitively; at most ${max} characters.` });
}

/** Refinement for since..until: ordered, and (when given) no wider than `maxSpanMs`. */
export function checkRange(range: { since?: Date; until?: Date }, ctx: z.RefinementCtx, options: { allowEqual?: boolean } = {}): void {
  const { since, until } = range;
  if (!since || !until) return;
  if (options.allowEqual ? since > until : since >= until) {
    ctx.addIssue({ code: "custom", message: options.allowEqual ? "since must not be after until" : "since must be before until", path: ["since"], input: since });
  }
}

/**
 * A request's query string through a route's query schema. A parameter given twice is refused
 * rather than silently reduced to one of its values (`?limit=10&limit=100000`).
 */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL): z.infer<S> {
  // No prototype, so a parameter named `__proto__` would be an ordinary (unknown, refused) key
  // rather than a prototype assignment. (Next.js already drops that name from request URLs.)
  const values = Object.create(null) as Record<string, string>;
  for (const [name, value] of url.searchParams) {
    if (Object.hasOwn(values, name)) {
      throw new AppError("invalid_input", `Invalid query: ${name} is given more than once`, { issues: [{ path: name, message: "given more than once" }] });
    }
    values[name] = value;
  }
  return parseInput(schema, values, "query");
}
