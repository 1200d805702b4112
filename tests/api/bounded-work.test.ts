import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { asToken, call, createTestPlayer, database, env, signIn } from "./api-client.ts";
import type { Credentials } from "./api-client.ts";

/**
 * Every request's work is bounded: the ranges, bucket counts and page sizes the API accepts cost
 * little whoever sends them, and anything past a cap is a quick 422 naming the limit. Before the
 * caps, a ten-year cache-stats range at step=10 ran the server out of heap (58 s), a one-year one
 * answered 500 after 14.6 s (with /api/health at 13.5 s meanwhile), and 30 days was a 66 MB body.
 */
const DAY_MS = 86_400_000;
/** Generous for two shared cores; a regression (seconds, or an out-of-memory crash) is far beyond. */
const FAST_MS = 2_000;
const SMALL_BYTES = 2 * 1024 * 1024;

let viewer: Credentials;
const service = asToken(env.tokens.service);

async function timed(credentials: Credentials, path: string) {
  const started = performance.now();
  const response = await call(credentials, "GET", path, { headers: {} });
  const text = await response.text();
  return { status: response.status, text, bytes: Buffer.byteLength(text), ms: performance.now() - started, contentType: response.headers.get("content-type") };
}

const range = (sinceMs: number, untilMs: number) => `since=${new Date(sinceMs).toISOString()}&until=${new Date(untilMs).toISOString()}`;

describe("bounded work", () => {
  beforeAll(async () => {
    viewer = await signIn("viewer", env.passwords.viewer);
    // A week of samples from two instances (the retention default is 7 days): 120,960 rows, as a
    // busy deployment holds. Written straight into the server's file, as the sampler would.
    const db = new Database(env.databaseFile);
    try {
      const insert = db.prepare(
        `INSERT INTO "CacheMetricSample" ("at", "instanceId", "intervalMs", "hits", "misses", "invalidationsWrite", "invalidationsTtl", "invalidationsEvent", "invalidationsManual", "evictions", "entries", "staleSavesRefused", "persistenceErrors", "writes", "writeLatencyP50Ms", "writeLatencyP99Ms") VALUES (?, ?, 10000, 90, 10, 3, 1, 0, 0, 0, 300, 0, 0, 4, 0.9, 3.1)`,
      );
      const now = Date.now();
      db.transaction(() => {
        for (let at = now - 7 * DAY_MS; at < now; at += 10_000) {
          for (const instance of ["bounded-a", "bounded-b"]) insert.run(new Date(at).toISOString().replace("Z", "+00:00"), instance);
        }
      })();
    } finally {
      db.close();
    }
  });

  it("refuses the requests that took the server down, quickly, naming the limit", async () => {
    const now = Date.now();
    const cases = [
      { path: `/api/v1/cache/stats?${range(now - 3_650 * DAY_MS, now)}&step=10`, needs: "needs 31,536,000" },
      { path: `/api/v1/cache/stats?${range(now - 365 * DAY_MS, now)}&step=10`, needs: "at step 10 s needs 3,153,600" },
      { path: `/api/v1/cache/stats?${range(now - 30 * DAY_MS, now)}&step=10`, needs: "needs 259,200" },
      { path: `/api/v1/errors/histogram?${range(now - 365 * DAY_MS, now)}&step=60`, needs: "at step 60 s needs 525,600" },
    ];
    for (const { path, needs } of cases) {
      const result = await timed(viewer, path);
      expect(result.status, path).toBe(422);
      expect(result.contentType).toBe("application/problem+json");
      const problem = JSON.parse(result.text) as { code: string; detail: string; limit: number };
      expect(problem.code).toBe("invalid_input");
      expect(problem.detail).toContain("at most 1,000 buckets");
      expect(problem.detail).toContain(needs);
      expect(problem.limit).toBe(1_000);
      expect(result.ms, path).toBeLessThan(FAST_MS / 2);
      console.log(`bounded work: refused ${path.split("?")[0]} (${needs}) in ${Math.round(result.ms)} ms`);
    }
    // Page sizes past their caps, a date before 2000 (or one JavaScript cannot represent), a
    // hexadecimal limit, a parameter given twice.
    const viewerOrAdmin = await signIn("admin", env.passwords.admin);
    for (const path of [
      "/api/v1/players?limit=101",
      "/api/v1/players/x/events?limit=1001",
      "/api/v1/errors?limit=201",
      "/api/v1/audit?limit=501",
      "/api/v1/cache/stats?since=0",
      "/api/v1/cache/stats?since=%2B275760-09-13T00:00:00.001Z",
      "/api/v1/errors?since=-271821-04-19T00:00:00Z",
      "/api/v1/players?limit=0x10",
      "/api/v1/players?limit=10&limit=100000",
    ]) {
      const result = await timed(viewerOrAdmin, path);
      expect(result.status, `${path} → ${result.text}`).toBe(422);
    }
  });

  it("the largest requests allowed answer in well under 2 s with small bodies, and /api/health stays fast meanwhile", async () => {
    const now = Date.now();
    const player = await createTestPlayer();
    const largest = [
      // 1,000 buckets over the whole retained week (step 605 s ≈ 7 d / 1,000).
      `/api/v1/cache/stats?${range(now - 7 * DAY_MS + 1, now)}&step=605`,
      // The widest range, bucketed automatically.
      `/api/v1/cache/stats?${range(Date.parse("2000-01-01T00:00:00Z"), now + DAY_MS - 60_000)}`,
      `/api/v1/cache/stats?${range(now - 1_000 * DAY_MS, now)}&step=86400`,
      `/api/v1/errors/histogram?${range(now - 1_000 * 3_600_000, now)}&step=3600`,
      "/api/v1/errors?limit=200",
      "/api/v1/audit?limit=500",
      "/api/v1/players?limit=100",
      `/api/v1/players/${player.id}/events?limit=1000`,
    ];
    const admin = await signIn("admin", env.passwords.admin);
    // One after another (each is "a single request"), with /api/health polled alongside: nothing
    // may hold the server up (before: 13.5 s for /api/health behind one cache-stats request).
    const healthTimes: number[] = [];
    let heavyDone = false;
    const healthPolling = (async () => {
      while (!heavyDone) {
        const health = await timed(service, "/api/health");
        expect(health.status).toBe(200);
        healthTimes.push(health.ms);
      }
    })();
    const results = [];
    for (const path of largest) results.push(await timed(admin, path));
    heavyDone = true;
    await healthPolling;
    for (const [index, result] of results.entries()) {
      const what = largest[index]!;
      expect(result.status, `${what} → ${result.text.slice(0, 300)}`).toBe(200);
      expect(result.ms, what).toBeLessThan(FAST_MS);
      expect(result.bytes, what).toBeLessThan(SMALL_BYTES);
    }
    expect(healthTimes.length).toBeGreaterThan(0);
    expect(Math.max(...healthTimes)).toBeLessThan(FAST_MS);
    console.log(`bounded work: ${results.map((result, index) => `${largest[index]!.split("?")[0]} ${Math.round(result.ms)} ms ${Math.round(result.bytes / 1024)} KiB`).join("; ")}; /api/health ×${healthTimes.length}, slowest ${Math.round(Math.max(...healthTimes))} ms`);
    const week = JSON.parse(results[0]!.text) as { buckets: Array<{ hits: number; misses: number }> };
    expect(week.buckets.length).toBeLessThanOrEqual(1_000);
    // Every stored sample in the range lands in exactly one bucket.
    const text = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
    const stored = database().prepare(`SELECT SUM("hits") AS hits FROM "CacheMetricSample" WHERE "at" >= ? AND "at" < ?`).get(text(now - 7 * DAY_MS + 1), text(now)) as { hits: number };
    expect(stored.hits).toBeGreaterThan(100_000 * 90);
    expect(week.buckets.reduce((sum, bucket) => sum + bucket.hits, 0)).toBe(stored.hits);
  });
});
