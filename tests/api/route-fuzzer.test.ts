import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routes } from "../../lib/api/routes.ts";
import type { RouteName, RouteSpec } from "../../lib/api/routes.ts";
import { asToken, call, createTestPlayer, database, env, signIn } from "./api-client.ts";
import type { Credentials } from "./api-client.ts";
import { fuzzArbitraries } from "./route-fuzz-arbitraries.ts";
import type { FuzzRequest, FuzzRole } from "./route-fuzz-arbitraries.ts";

/**
 * The generated fuzzer: every route of lib/api/routes.ts, by iterating the table (a new route is
 * fuzzed without anyone writing a case), with requests derived from the route's zod schemas plus
 * hostile strings, numbers, dates and headers (tests/api/route-fuzz-arbitraries.ts), as each role.
 * For every request: no 5xx; an error is problem+json with a `code`; and a 4xx leaves the players
 * and the ledger as they were. Fixed seed, bounded count: the run is reproducible and takes well
 * under a minute on two cores.
 */
const RUNS_PER_ROUTE = 35;
const SEED = 20261125;

const credentials = {} as Record<FuzzRole, Credentials>;
let validPlayerId: string;
let validEncounterId: string;
const service = asToken(env.tokens.service);
const tally = { requests: 0, refusedByClient: 0, byStatus: new Map<number, number>() };
let errorLogRowsBefore: number;
const errorLogRows = () => (database().prepare(`SELECT COUNT(*) AS n FROM "ErrorLogEntry"`).get() as { n: number }).n;

const staffRoles = ["viewer", "support", "admin"] as const;

async function signInAll(): Promise<void> {
  credentials.anonymous = { kind: "anonymous" };
  for (const role of staffRoles) credentials[role] = await signIn(role, env.passwords[role]);
  credentials["service-token"] = service;
  credentials["viewer-token"] = asToken(env.tokens.viewerToken);
}

/**
 * Players a running live encounter is fighting change on their own clock, whatever the request;
 * they are left out of the before/after comparison (the encounter list says which they are).
 */
async function playersInLiveEncounters(): Promise<string[]> {
  const response = await call(service, "GET", "/api/v1/combat/encounters");
  const { items } = (await response.json()) as { items: Array<{ mode: string; status: string; player: { id: string } }> };
  return items.filter((item) => item.mode === "live" && item.status === "running").map((item) => item.player.id);
}

/** A cheap fingerprint of Player and PlayerEvent, read from the SQLite file (every write bumps a version). */
function fingerprint(excluded: string[]) {
  const db = database();
  const placeholders = excluded.map(() => "?").join(", ");
  const notExcluded = (column: string) => (excluded.length > 0 ? `WHERE "${column}" NOT IN (${placeholders})` : "");
  return {
    players: db
      .prepare(`SELECT COUNT(*) AS n, TOTAL("version") AS versions, TOTAL("health") AS health, TOTAL("experiencePoints") AS xp, TOTAL("maxHealth") AS maxHealth, TOTAL(length("name")) AS names FROM "Player" ${notExcluded("id")}`)
      .get(...excluded),
    ledger: db.prepare(`SELECT COUNT(*) AS n, MAX("id") AS lastId FROM "PlayerEvent" ${notExcluded("playerId")}`).get(...excluded),
  };
}

function pathOf(route: RouteSpec, request: FuzzRequest): string {
  const filled = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = request.params[name] ?? "valid";
    if (value !== "valid") return value;
    return route.path.startsWith("/api/v1/combat/encounters") ? validEncounterId : validPlayerId;
  });
  const query = new URLSearchParams(request.query).toString();
  return query ? `${filled}?${query}` : filled;
}

async function send(route: RouteSpec, request: FuzzRequest): Promise<{ status: number; text: string; contentType: string | null } | null> {
  const caller = credentials[request.role];
  const headers: Record<string, string> = { ...request.headers };
  if (caller.kind === "token") headers.Authorization = `Bearer ${caller.token}`;
  if (caller.kind === "session") {
    headers.Cookie = caller.cookie;
    headers.Origin = env.baseUrl;
  }
  try {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), 20_000);
    try {
      const response = await fetch(`${env.baseUrl}${pathOf(route, request)}`, {
        method: route.method,
        headers,
        body: route.method === "GET" ? undefined : request.body,
        signal: controller.signal,
      });
      const contentType = response.headers.get("content-type");
      // A server-sent-event stream that opened never ends by itself: its status and type are the
      // answer; the body is not read (the stream is cancelled).
      if (response.ok && contentType?.startsWith("text/event-stream")) {
        await response.body?.cancel();
        return { status: response.status, text: "", contentType };
      }
      return { status: response.status, text: await response.text(), contentType };
    } finally {
      clearTimeout(timeout);
    }
  } catch (error) {
    // A header value fetch will not send (it refuses them before anything leaves the client).
    // Only a header value the client itself refuses to send is skipped; a dropped connection fails.
    if (error instanceof TypeError && (error as { cause?: { code?: string } }).cause?.code === "UND_ERR_INVALID_ARG") {
      tally.refusedByClient += 1;
      return null;
    }
    throw error;
  }
}

describe("generated fuzzer: every route of the route table", () => {
  beforeAll(async () => {
    errorLogRowsBefore = errorLogRows();
    await signInAll();
    validPlayerId = (await createTestPlayer()).id;
    const encounter = await call(service, "POST", "/api/v1/combat/encounters", { body: { playerId: (await createTestPlayer()).id, npc: "dr-francis-morgan" } });
    validEncounterId = ((await encounter.json()) as { id: string }).id;
  });

  afterAll(() => {
    const byStatus = [...tally.byStatus.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    console.log(`route fuzzer: ${tally.requests} requests over ${Object.keys(routes).length} routes (${tally.refusedByClient} not sendable by fetch); by status ${byStatus.join(", ")}`);
  });

  it("headers beyond Node's 16 KB limit are refused before any application code runs (431), changing nothing", async () => {
    const before = fingerprint(await playersInLiveEncounters());
    const response = await fetch(`${env.baseUrl}/api/v1/players/${validPlayerId}/damage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${env.tokens.service}`, "Content-Type": "application/json", "X-Request-Id": "x".repeat(20_000) },
      body: JSON.stringify({ amount: 1 }),
    });
    expect(response.status).toBe(431);
    expect(fingerprint(await playersInLiveEncounters())).toEqual(before);
  });

  for (const [name, spec] of Object.entries(routes) as Array<[RouteName, RouteSpec]>) {
    it(`${spec.method} ${spec.path} (${name})`, async () => {
      await fc.assert(
        fc.asyncProperty(fuzzArbitraries[name], async (request) => {
          const excluded = await playersInLiveEncounters();
          const before = fingerprint(excluded);
          const response = await send(spec, request);
          if (!response) return;
          tally.requests += 1;
          tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1);
          const what = `${spec.method} ${pathOf(spec, request)} as ${request.role} → ${response.status} ${response.text.slice(0, 300)}`;
          expect(response.status, what).toBeLessThan(500);
          if (response.status >= 400) {
            expect(response.contentType, what).toBe("application/problem+json");
            expect((JSON.parse(response.text) as { code?: unknown }).code, what).toEqual(expect.any(String));
            expect(fingerprint(excluded), `${what}: players or ledger changed on a ${response.status}`).toEqual(before);
          }
          // Signing out ends that role's session: sign in again so the run keeps every role.
          if (name === "signOut" && response.status === 204) {
            const role = request.role as (typeof staffRoles)[number];
            credentials[role] = await signIn(role, env.passwords[role]);
          }
        }),
        { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true },
      );
    });
  }

  // Before, each 500 wrote error-log rows, so any viewer could inflate "errors in the last hour".
  it("none of the refused requests wrote an error-log row", () => {
    expect(tally.byStatus.size).toBeGreaterThan(3);
    expect(errorLogRows()).toBe(errorLogRowsBefore);
  });
});
