import fc from "fast-check";
import { z } from "zod";
import { routes } from "../../lib/api/routes.ts";
import type { RouteName, RouteSpec } from "../../lib/api/routes.ts";

/*
 * Property-based requests for every route of the route table, derived from its zod schemas (path
 * params, query, body) through their JSON Schema, mixed with hostile values. Pure: no server, no
 * vitest globals, so a unit test can check that every route has one (tests/unit/route-fuzz-
 * arbitraries.test.ts) and the API fuzzer (route-fuzzer.test.ts) can send them.
 */

export type FuzzRole = "anonymous" | "viewer" | "support" | "admin" | "service-token" | "viewer-token";
export const fuzzRoles: readonly FuzzRole[] = ["anonymous", "viewer", "support", "admin", "service-token", "viewer-token"];

export interface FuzzRequest {
  role: FuzzRole;
  /** Path params: "valid" is replaced by a real id of the right kind by the sender; else sent as given (percent-encoded). */
  params: Record<string, string>;
  /** Query string pairs, sent as given (URLSearchParams encodes them). */
  query: Array<[string, string]>;
  /** Raw request body (undefined: none). */
  body: string | undefined;
  headers: Record<string, string>;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
  default?: unknown;
  description?: string;
  $ref?: string;
  propertyNames?: JsonSchema;
};

/** Keys of JSON Schema this converter understands; anything else fails the contract test. */
const understoodKeys = new Set([
  "type", "properties", "required", "additionalProperties", "items", "prefixItems", "anyOf", "oneOf", "allOf", "enum", "const", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "format", "pattern", "default", "description", "$ref", "propertyNames",
]);

// Hostile values, by kind.
export const hostileStrings = [
  "\uD800", "a\uDC00b", "\uDBFF\uDBFF", "\u0000", "nul\u0000byte", "\u202Eevil\u202C", "\u200B", "\u2066bidi\u2069", "\uFEFF", "\u001B[31m",
  "%", "_", "%%", "a%b_c", "\\", "\\%", "' OR 1=1 --", "'; DROP TABLE \"Player\"; --", "\" OR \"\"=\"", "1; SELECT pg_sleep(5)",
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{7*7}}", "${7*7}", "../../etc/passwd", "%00", "%ED%A0%80", "__proto__", "constructor",
  "prototype", "🙂".repeat(40), "ﷺ", "Ω".repeat(70), "a".repeat(65), "x".repeat(5_000), "", " ", "null", "undefined", "true", "[]", "{}",
];
/** Text that is not valid Unicode, or hides what it says: what reaches the database and logs. */
export const unicodeHostileStrings = ["\uD800", "abc\uDC00", "x\uDBFF\uDBFFy", "\uDFFF\uD800", "abc\u0000", "\u202Enimda", "abc\u200B", "\u2066abc\u2069"];
export const hostileNumberTexts = [
  "NaN", "Infinity", "-Infinity", "1e308", "1e309", "-1e308", "-0", "0", "-1", "9007199254740993", "-9007199254740993", "0x10", "0X1f", "0o17", "0b101",
  "010", "1e3", "1.5", "+5", " 5", "5 ", "5abc", "１２", "٣", "1_000", "4294967296", "2147483648", "99999999999999999999",
];
export const hostileNumbers: unknown[] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1e308, -0, 2 ** 53 + 1, -(2 ** 53 + 1), 0.1, 1.5, -1, 0, 2 ** 31, 2 ** 32];
export const hostileDates = [
  "0", "1", "-1", "1970-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "0000-01-01", "0000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z",
  "-271821-04-20T00:00:00.000Z", "-271821-04-19T23:59:59.999Z", "+275760-09-13T00:00:00.000Z", "+275760-09-13T00:00:00.001Z", "+010000-01-01T00:00:00Z", "99999-01-01",
  "+999999-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "3000-01-01", "2026-02-30", "2026-13-01", "2026-11-25T24:00:00Z", "2026-11-25T23:59:60Z",
  "2026-11-25T10:00:00+25:00", "Tue, 24 Nov 2026 10:00:00 GMT", "yesterday", "now", "1732000000000", "2026-11-25T10:00:00.1234567890Z", "2026-W48-3",
];
const hostileJsonValues: unknown[] = [null, true, false, [], {}, [[[]]], { __proto__: { polluted: 1 } }, ...hostileNumbers.filter(Number.isFinite)];

const hostileText = fc.oneof(fc.constantFrom(...hostileStrings), fc.constantFrom(...hostileNumberTexts), fc.constantFrom(...hostileDates), fc.string({ maxLength: 80, unit: "binary" }));
/** Any JSON value a hostile client might put where a value goes (JSON cannot carry NaN/Infinity: they become null). */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(...hostileJsonValues),
  fc.constantFrom(...hostileDates),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.constant("x".repeat(70_000)),
);

/** JSON Schema of a zod schema, as the OpenAPI generator sees it. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
}

/** Fails on a JSON Schema construct the converter below would ignore (so new schemas cannot go unfuzzed). */
export function assertUnderstood(schema: JsonSchema, where = "schema"): void {
  for (const key of Object.keys(schema)) {
    if (key === "$schema" || key === "$defs" || key === "id") continue;
    if (!understoodKeys.has(key)) throw new Error(`${where}: the fuzzer does not understand JSON Schema key "${key}"`);
  }
  for (const [name, child] of Object.entries(schema.properties ?? {})) assertUnderstood(child, `${where}.${name}`);
  for (const child of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? []), ...(schema.prefixItems ?? [])]) assertUnderstood(child, where);
  if (schema.items) assertUnderstood(schema.items, `${where}[]`);
  if (typeof schema.additionalProperties === "object") assertUnderstood(schema.additionalProperties, `${where}.*`);
}

/** Values that satisfy (mostly) the schema: the valid side of the fuzz, so requests get past validation. */
export function valueArbitrary(schema: JsonSchema, defs: Record<string, JsonSchema> = {}): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const target = defs[schema.$ref.replace(/^#\/\$defs\//, "")];
    return target ? fc.constant(null).chain(() => valueArbitrary(target, defs)) : fc.jsonValue({ maxDepth: 2 });
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => valueArbitrary(alternative, defs)));
  if (schema.allOf) return valueArbitrary(Object.assign({}, ...schema.allOf) as JsonSchema, defs);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "integer": {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000);
      return fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }), fc.constantFrom(min, max));
    }
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "string": {
      if (schema.format === "date-time") {
        return fc.oneof(
          { arbitrary: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date(), noInvalidDate: true }).map((date) => date.toISOString()), weight: 2 },
          { arbitrary: fc.constantFrom(...hostileDates), weight: 1 },
        );
      }
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 40, 80);
      // Hostile text that still fits the declared length gets past the schema and reaches the
      // database, the logs and the cache: where lone surrogates and wildcards used to do harm.
      const fits = (text: string) => text.length >= minLength && text.length <= (schema.maxLength ?? Infinity);
      const plain = fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
      const groups = [unicodeHostileStrings.filter(fits), hostileStrings.filter(fits)].filter((group) => group.length > 0);
      return fc.oneof({ arbitrary: plain, weight: 2 }, ...groups.map((group) => ({ arbitrary: fc.constantFrom(...group).map((text) => (text.length < minLength + 3 && minLength > 0 ? `abc${text}` : text)), weight: 1 })));
    }
    case "array":
      return fc.array(schema.items ? valueArbitrary(schema.items, defs) : fc.jsonValue({ maxDepth: 1 }), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case "object": {
      const properties = schema.properties ?? {};
      if (Object.keys(properties).length === 0) return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      const required = new Set(schema.required ?? []);
      const model = Object.fromEntries(Object.entries(properties).map(([name, child]) => [name, valueArbitrary(child, defs)]));
      return fc.record(model, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** The valid value, or that value with one part made hostile (a wrong value, a missing or an extra key). */
function mutatedObject(schema: JsonSchema, defs: Record<string, JsonSchema>): fc.Arbitrary<unknown> {
  const properties = Object.keys(schema.properties ?? {});
  return fc.oneof(
    { arbitrary: valueArbitrary(schema, defs), weight: 6 },
    {
      arbitrary: fc.tuple(valueArbitrary(schema, defs), fc.constantFrom(...(properties.length > 0 ? properties : ["x"])), hostileJson).map(([value, key, hostile]) => ({ ...(value as object), [key]: hostile })),
      weight: 4,
    },
    { arbitrary: fc.tuple(valueArbitrary(schema, defs), fc.constantFrom("__proto__", "constructor", "unexpected", "\uD800"), hostileJson).map(([value, key, hostile]) => ({ ...(value as object), [key]: hostile })), weight: 1 },
    { arbitrary: fc.tuple(valueArbitrary(schema, defs), fc.constantFrom(...(properties.length > 0 ? properties : ["x"]))).map(([value, key]) => omit(value as object, key)), weight: 1 },
  );
}

function omit(value: object, key: string): object {
  const copy: Record<string, unknown> = { ...value };
  delete copy[key];
  return copy;
}

/** Query values are text: the schema's valid values as text, or hostile text. */
function queryArbitrary(schema: JsonSchema): fc.Arbitrary<Array<[string, string]>> {
  const properties = Object.entries(schema.properties ?? {});
  const asText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  const pair = (name: string, child: JsonSchema) =>
    fc.oneof(
      { arbitrary: valueArbitrary(child).map(asText), weight: 3 },
      { arbitrary: child.format === "date-time" ? fc.constantFrom(...hostileDates) : child.type === "integer" ? fc.constantFrom(...hostileNumberTexts) : hostileText, weight: 3 },
      { arbitrary: hostileText, weight: 1 },
    ).map((value) => [name, value] as [string, string]);
  const none: fc.Arbitrary<Array<[string, string]>> = fc.constant([]);
  const known: fc.Arbitrary<Array<[string, string]>> =
    properties.length > 0 ? fc.subarray(properties).chain((chosen) => (chosen.length === 0 ? none : fc.tuple(...chosen.map(([name, child]) => pair(name, child))))) : none;
  const extra = fc.array(fc.tuple(fc.constantFrom("x", "__proto__", "limit", "since", "search", "\u0000"), hostileText), { maxLength: 1 });
  return fc.tuple(known, fc.oneof({ arbitrary: none, weight: 4 }, { arbitrary: extra, weight: 1 })).map(([a, b]) => [...a, ...b]);
}

/** Raw body text: JSON of (mutated) valid values, or hostile text and JSON. */
function bodyArbitrary(schema: JsonSchema | undefined): fc.Arbitrary<string | undefined> {
  const structured = schema ? mutatedObject(schema, {}) : fc.constantFrom<unknown>({}, { unexpected: true });
  return fc.oneof(
    { arbitrary: structured.map((value) => JSON.stringify(value) ?? "null"), weight: 12 },
    { arbitrary: fc.constantFrom('{"a":"\\ud800"}', '{"\\udc00":1}', '["\\udbff\\udbff"]', '{"name":"\\u0000"}'), weight: 1 },
    { arbitrary: fc.constantFrom("{", "[1,2", "{'a': 1}", "a=1&b=2", "\u0000\u0001", "null", "[]", "1e309", '"x"', ""), weight: 1 },
    { arbitrary: fc.integer({ min: 33, max: 120 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)), weight: 1 },
    { arbitrary: fc.constant(JSON.stringify({ padding: "x".repeat(70_000) })), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

const headerValue = fc.oneof(
  // Huge, but all three together stay under Node's 16 KB header limit (beyond it Node itself
  // answers 431 before any application code runs; route-fuzzer.test.ts checks that separately).
  fc.constantFrom("", " ", "x".repeat(4_000), "\t", "*", "W/\"1\"", '"1"', '"0"', '"-1"', '"abc"', '"99999999999999999999"', '"1", "2"', "null"),
  fc.string({ maxLength: 30 }).filter((value) => /^[\x20-\x7e]*$/.test(value)),
);
/** Headers a hostile client sends: lying content types, garbage If-Match and Idempotency-Key, huge values. */
const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    "Content-Type": fc.constantFrom("application/json", "application/json", "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "application/problem+json", "", "application/json;;;", "text/json"),
    "If-Match": headerValue,
    "Idempotency-Key": fc.oneof(fc.uuid(), headerValue, fc.constantFrom("x".repeat(201), "with spaces", "fuzz-fixed-key")),
    "X-Request-Id": headerValue,
    Accept: fc.constantFrom("application/json", "text/html", "*/*", "application/xml"),
    "X-Forwarded-Host": fc.constantFrom("evil.example", "localhost", ""),
  },
  { requiredKeys: ["Content-Type"] },
);
/** What a well-behaved client sends, so that hostile bodies, queries and ids get past the headers. */
const benignHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  { "Content-Type": fc.constant("application/json"), "Idempotency-Key": fc.uuid(), "If-Match": fc.constantFrom('"1"', '"2"') },
  { requiredKeys: ["Content-Type"] },
);
const headersArbitrary = fc.oneof({ arbitrary: benignHeaders, weight: 3 }, { arbitrary: hostileHeaders, weight: 2 });

const hostileSegment = fc.oneof(
  { arbitrary: fc.constant("valid"), weight: 3 },
  fc.constantFrom("00000000-0000-4000-8000-000000000000", "%25", "%5F", "%00", "%E2%80%AE", "a".repeat(65), "%20", "%2F", ".x", "%ED%A0%80", "%zz", "%"),
  fc.string({ minLength: 1, maxLength: 70 }).map((value) => encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, "x"))),
);

/** One arbitrary per route, built from the route table: a new route gets one without anyone writing it. */
export function fuzzArbitraryFor(route: RouteSpec): fc.Arbitrary<FuzzRequest> {
  const paramNames = route.params ? Object.keys(jsonSchemaOf(route.params).properties ?? {}) : [];
  const params = fc.tuple(...paramNames.map((name) => hostileSegment.map((value) => [name, value] as const))).map((pairs) => Object.fromEntries(pairs));
  const query = route.query ? queryArbitrary(jsonSchemaOf(route.query)) : fc.oneof(fc.constant([] as Array<[string, string]>), fc.tuple(fc.constantFrom("x", "limit", "since"), hostileText).map((pair) => [pair]));
  const body = route.method === "GET" ? fc.constant(undefined) : bodyArbitrary(route.body ? jsonSchemaOf(route.body) : undefined);
  // Mostly callers the route admits, so validation (not only authorization) is what gets exercised.
  const admitted = fuzzRoles.filter((role) => admits(route, role));
  const role = admitted.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...admitted), weight: 4 }, { arbitrary: fc.constantFrom(...fuzzRoles), weight: 1 }) : fc.constantFrom(...fuzzRoles);
  return fc.record({ role, params, query, body, headers: headersArbitrary });
}

function admits(route: RouteSpec, role: FuzzRole): boolean {
  if (route.access === "public") return true;
  if (role === "anonymous") return false;
  const session = role === "viewer" || role === "support" || role === "admin";
  if (route.access === "signed-in") return session;
  if (route.access === "metrics") return role === "admin";
  const roleName = role === "service-token" ? "service" : role === "viewer-token" ? "viewer" : role;
  return (route.access.roles as readonly string[]).includes(roleName);
}

export const fuzzArbitraries = Object.fromEntries(Object.entries(routes).map(([name, route]) => [name, fuzzArbitraryFor(route as RouteSpec)])) as Record<RouteName, fc.Arbitrary<FuzzRequest>>;

/** Every schema of every route, for the contract check. */
export function routeSchemas(route: RouteSpec): Array<[string, JsonSchema]> {
  return (["params", "query", "body"] as const).flatMap((part) => (route[part] ? [[part, jsonSchemaOf(route[part]!)] as [string, JsonSchema]] : []));
}
