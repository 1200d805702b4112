import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { routes } from "../../lib/api/routes.ts";
import type { RouteSpec } from "../../lib/api/routes.ts";
import { asToken, createTestPlayer, databaseSnapshot, env, signIn } from "./api-client.ts";
import type { Credentials } from "./api-client.ts";

/**
 * Property-based: malformed bodies, headers, ids and content types against every mutation, as an
 * authorised caller (so validation, not auth, is what gets exercised). Always a 4xx problem+json,
 * never a 5xx, nothing leaked, and player state unchanged.
 */
const mutations = (Object.values(routes) as RouteSpec[]).filter((route) => route.method !== "GET" && route.path.startsWith("/api/v1/players"));

const hostileStrings = [
  "'; DROP TABLE \"Player\"; --",
  "\" OR 1=1 --",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "%00",
  "\u0000",
  "\uD800",
  "🙂".repeat(50),
  "ﷺ",
  "a".repeat(5_000),
  "__proto__",
  "constructor",
  "NaN",
  "-0",
  "1e309",
];

const hostileValue = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, [], {}, -1, 0, 1.5, 1e21, Number.MAX_SAFE_INTEGER + 2),
);

const hostileBody = fc.oneof(
  // Structured but wrong: right keys with wrong values, wrong keys, extra keys.
  fc.record({ amount: hostileValue }, { requiredKeys: [] }).map((body) => JSON.stringify(body)),
  fc.dictionary(fc.constantFrom("amount", "health", "delta", "reason", "name", "maxHealth", "version", "__proto__", "experiencePoints"), hostileValue).map((body) => JSON.stringify(body)),
  fc.anything().map((value) => JSON.stringify(value) ?? "null"),
  // Not JSON at all, or pathological JSON.
  fc.constantFrom("{", "[1,2", "{'amount': 5}", "amount=5", "\u0000\u0001", '{"amount": 5, "amount": -5}'),
  fc.integer({ min: 33, max: 200 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
  fc.integer({ min: 33, max: 60 }).map((depth) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth)),
  fc.constant(JSON.stringify({ amount: 1, source: "x".repeat(80_000) })),
);

/** Percent-encodes for a path segment; a lone surrogate becomes invalid UTF-8, itself a hostile id. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

const hostileId = fc.oneof(
  fc.constantFrom(...hostileStrings.map(encodeSegment), "%ED%A0%80", "%", "%zz"),
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 80, unit: "binary" }).map(encodeSegment),
);

const hostileHeaders = fc.record(
  {
    "Content-Type": fc.constantFrom("application/json", "text/plain", "application/xml", "multipart/form-data", "application/json; charset=utf-16", ""),
    "If-Match": fc.constantFrom('"0"', '"-1"', '"abc"', "*", '"99999999999"', "W/\"x\"", ""),
    "Idempotency-Key": fc.constantFrom("", " ", "x".repeat(300), "ключ", "k\u0000"),
    "X-Request-Id": fc.constantFrom("", "<script>", "x".repeat(500), "id with spaces"),
  },
  { requiredKeys: [] },
);

let validPlayerId: string;
let admin: Credentials;
const service = asToken(env.tokens.service);

function credentialsFor(route: RouteSpec): Credentials {
  const roles = typeof route.access === "object" ? route.access.roles : [];
  return roles.includes("service") ? service : admin;
}

describe("hostile input against every mutation", () => {
  beforeAll(async () => {
    validPlayerId = (await createTestPlayer()).id;
    admin = await signIn("admin", env.passwords.admin);
  });

  it("≥ 600 malformed requests: always 4xx problem+json, never 5xx, nothing leaked, nothing changed", async () => {
    const before = databaseSnapshot();
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...mutations.map((route) => route.operationId)),
        fc.oneof(fc.constant("valid"), hostileId),
        hostileBody,
        hostileHeaders,
        async (operationId, id, body, headers) => {
          const route = mutations.find((candidate) => candidate.operationId === operationId)!;
          const usesValidId = id === "valid";
          // With a real player, a request must be malformed in its body or headers to count; the
          // cache flush, an empty respawn and the lifecycle routes (archive, unarchive, purge) have no
          // body, so they only take hostile ids.
          const bodiless = ["flushPlayerCache", "respawnPlayer", "archivePlayer", "unarchivePlayer", "purgeTestPlayer"];
          if (usesValidId && bodiless.includes(route.operationId)) return;
          if (usesValidId && route.body && headers["Content-Type"] === "application/json") {
            let parsed: unknown;
            try {
              parsed = JSON.parse(body);
            } catch {
              parsed = undefined;
            }
            if (parsed !== undefined && route.body.safeParse(parsed).success) return;
          }
          const credentials = credentialsFor(route);
          const requestHeaders: Record<string, string> = { ...headers };
          if (credentials.kind === "token") requestHeaders.Authorization = `Bearer ${credentials.token}`;
          if (credentials.kind === "session") {
            requestHeaders.Cookie = credentials.cookie;
            requestHeaders.Origin = env.baseUrl;
          }
          const path = route.path.replace("{id}", usesValidId ? validPlayerId : id);
          requests += 1;
          let response: Response;
          try {
            response = await fetch(`${env.baseUrl}${path}`, { method: route.method, headers: requestHeaders, body });
          } catch (error) {
            // Invalid header values are refused by fetch itself before anything is sent.
            if (error instanceof TypeError) return;
            throw error;
          }
          const text = await response.text();
          expect(response.status, `${route.method} ${path} → ${text}`).toBeGreaterThanOrEqual(400);
          expect(response.status, `${route.method} ${path} → ${text}`).toBeLessThan(500);
          expect(response.headers.get("content-type")).toBe("application/problem+json");
          expect(text).not.toMatch(/\bat .+\.(ts|js):\d+|SQLITE|prisma|SELECT |UPDATE "|node_modules/i);
        },
      ),
      { numRuns: 700, seed: 20261124, endOnFailure: true },
    );
    expect(requests).toBeGreaterThanOrEqual(500);
    expect(databaseSnapshot()).toEqual(before);
  });
});

describe("hostile query strings and ids against every read", () => {
  // The live stream never ends by itself, so reading its body would never finish; it takes no query.
  const reads = (Object.values(routes) as RouteSpec[]).filter((route) => route.method === "GET" && route.path.startsWith("/api/v1/") && route.response.contentType !== "text/event-stream");
  const hostileQuery = fc.dictionary(
    fc.constantFrom("search", "limit", "cursor", "since", "until", "step", "field", "order", "sort", "status", "level", "module", "actor", "action", "playerId", "__proto__", "x"),
    fc.oneof(fc.constantFrom(...hostileStrings), fc.string(), fc.integer().map(String), fc.constantFrom("-1", "0", "1e9", "NaN", "", "2026-13-45", "9999-12-31T99:99:99Z")),
    { maxKeys: 4 },
  );

  it("≥ 300 hostile queries: 2xx or 4xx problem+json, never 5xx, nothing leaked", async () => {
    const before = databaseSnapshot();
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads.map((route) => route.operationId)), fc.oneof(fc.constant("valid"), hostileId), hostileQuery, async (operationId, id, query) => {
        const route = reads.find((candidate) => candidate.operationId === operationId)!;
        const search = new URLSearchParams();
        for (const [key, value] of Object.entries(query)) {
          try {
            search.set(key, value);
          } catch {
            return; // a lone surrogate cannot even be put in a URL by the client
          }
        }
        const path = route.path.replace("{id}", id === "valid" ? validPlayerId : id);
        requests += 1;
        const response = await fetch(`${env.baseUrl}${path}?${search.toString()}`, { headers: { Cookie: (admin as { cookie: string }).cookie } });
        const text = await response.text();
        expect(response.status, `${path}?${search} → ${text.slice(0, 300)}`).toBeLessThan(500);
        if (response.status >= 400) expect(response.headers.get("content-type")).toBe("application/problem+json");
        expect(text).not.toMatch(/\bat .+\.(ts|js):\d+|SQLITE|prisma|SELECT |node_modules/i);
      }),
      { numRuns: 350, seed: 42, endOnFailure: true },
    );
    expect(requests).toBeGreaterThanOrEqual(300);
    expect(databaseSnapshot()).toEqual(before);
  });
});
