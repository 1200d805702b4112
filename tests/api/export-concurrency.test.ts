import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { createApiToken, createStaffUser } from "../../lib/auth/staff-users.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { startAppServer } from "../helpers/app-server.ts";
import type { AppServer } from "../helpers/app-server.ts";
import { createTestDatabaseFile } from "../helpers/test-database.ts";

/**
 * Issue 20, severe #3: on SQLite, four large ledger exports made /api/health take 12–17 s and a
 * game server's damage 14 s (reproduced with one 100,000-row export, which held /api/health for its whole
 * run). Exports now read on their own read-only connection, give the event loop a turn between
 * pages, and are capped per caller and overall (429 problem+json with Retry-After past the cap).
 *
 * Its own server: the big ledger is inserted behind the chain's back, and the scheduled integrity
 * check (switched off here) would spend minutes on it, in this server or in the shared one.
 * Timing is compared with the same calls made without exports in the same test, with a wide margin.
 */
const ROWS = 50_000;
let server: AppServer;
let removeDatabase: () => void;
const tokens: Record<"service" | "viewer" | "support" | "admin", string> = { service: "", viewer: "", support: "", admin: "" };
let playerId: string;

function call(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  const { file, remove } = createTestDatabaseFile();
  removeDatabase = remove;
  const db = createPrismaClient(parseConfig({ DATABASE_URL: `file:${file}` }));
  for (const role of ["service", "viewer", "support", "admin"] as const) tokens[role] = (await createApiToken(db, { name: `export-${role}`, role })).token;
  await createStaffUser(db, { username: "admin", password: "admin-password-1", role: "admin" });
  await db.$disconnect();
  server = await startAppServer({ env: { DATABASE_URL: `file:${file}`, INTEGRITY_CHECK_INTERVAL_MS: "0" } });
  const created = await call(tokens.service, "POST", "/api/v1/players", { name: "export-bulk", maxHealth: 1_000_000, health: 1_000_000 });
  expect(created.status).toBe(201);
  playerId = ((await created.json()) as { id: string }).id;
  // A big ledger, inserted straight into the file (a write through the API per row would take minutes).
  const raw = new Database(file);
  raw.pragma("busy_timeout = 10000");
  raw.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO "PlayerEvent" ("playerId", "field", "delta", "before", "after", "reason", "actor", "changeId", "playerVersion")
     SELECT ?, 'gold', 1, i, i + 1, 'external', 'bulk-fixture', 'bulk-' || i, 1 FROM n`,
  ).run(ROWS, playerId);
  raw.close();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeDatabase?.();
});

async function timed(run: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const response = await run();
  const text = await response.text();
  expect(response.status, `${response.url}: ${text}`).toBe(200);
  return performance.now() - started;
}

/** The slowest of `rounds` health probes and damage calls, one after another. */
async function probe(rounds: number): Promise<number> {
  let slowest = 0;
  for (let round = 0; round < rounds; round += 1) {
    slowest = Math.max(slowest, await timed(() => call(tokens.service, "GET", "/api/health")));
    slowest = Math.max(slowest, await timed(() => call(tokens.service, "POST", `/api/v1/players/${playerId}/damage`, { amount: 1 })));
  }
  return slowest;
}

const exportPath = () => `/api/v1/players/${playerId}/events/export?format=csv`;

describe("exports on SQLite", () => {
  const open: Response[] = [];
  afterAll(async () => {
    for (const response of open) await response.body?.cancel().catch(() => undefined);
  });

  it("large exports running at once leave /api/health and damage fast", async () => {
    const quiet = await probe(10);
    let streaming = true;
    const started = performance.now();
    // Two callers, two exports each: within both caps.
    const exports = Promise.all(
      [tokens.viewer, tokens.viewer, tokens.support, tokens.support].map(async (who) => {
        const response = await call(who, "GET", exportPath());
        expect(response.status).toBe(200);
        return (await response.text()).split("\n").length;
      }),
    ).finally(() => (streaming = false));
    await new Promise((resolve) => setTimeout(resolve, 50));
    let busy = 0;
    let probes = 0;
    while (streaming) {
      busy = Math.max(busy, await probe(1));
      probes += 1;
    }
    const lines = await exports;
    const exportMs = performance.now() - started;
    console.info(`exports ${exportMs.toFixed(0)} ms, ${probes} probe rounds, slowest ${busy.toFixed(0)} ms vs ${quiet.toFixed(0)} ms quiet`);
    for (const count of lines) expect(count).toBeGreaterThan(ROWS);
    // The probes ran while exports were streaming, or the comparison says nothing.
    expect(probes).toBeGreaterThan(0);
    // Before the fix the slowest call took seconds (12–17 s in the issue, with 200,000 rows).
    expect(busy, `slowest call ${busy.toFixed(0)} ms with exports, ${quiet.toFixed(0)} ms without`).toBeLessThan(Math.max(3_000, quiet * 10));
  }, 180_000);

  it("refuses a caller's third export at once with 429 problem+json and Retry-After; others still get theirs", async () => {
    // Headers arrive before the body is read: an unread body keeps its export open.
    for (let index = 0; index < 2; index += 1) {
      const response = await call(tokens.viewer, "GET", exportPath());
      expect(response.status).toBe(200);
      open.push(response);
    }
    const third = await call(tokens.viewer, "GET", exportPath());
    expect(third.status).toBe(429);
    expect(third.headers.get("content-type")).toBe("application/problem+json");
    expect(third.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await third.json()) as { code: string }).code).toBe("exports_busy");

    // Another caller is not locked out by this one.
    const other = await call(tokens.support, "GET", `/api/v1/audit/export?format=csv`);
    expect(other.status).toBe(200);
    await other.text();

    // Closing one frees its slot.
    await open.shift()!.body!.cancel();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt += 1) {
      const again = await call(tokens.viewer, "GET", exportPath());
      status = again.status;
      await again.body?.cancel();
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });

  it("caps exports overall: past EXPORT_MAX_CONCURRENT every caller gets 429", async () => {
    // The viewer holds one slot from the previous test; the overall cap (default 4) is reached with
    // two of support's and one of the admin's.
    for (const who of [tokens.support, tokens.support, tokens.admin]) {
      const response = await call(who, "GET", exportPath());
      expect(response.status).toBe(200);
      open.push(response);
    }
    const refused = await call(tokens.admin, "GET", exportPath());
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { code: string }).code).toBe("exports_busy");
  });
});
