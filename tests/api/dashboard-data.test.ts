import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { errorHistogramSchema, integrityReportSchema, overviewSchema } from "../../lib/api/api-schemas.ts";
import { asToken, callJson, createTestPlayer, env, signIn } from "./api-client.ts";
import type { Credentials } from "./api-client.ts";

/**
 * The dashboard's summary routes: overview tiles, the errors-per-minute histogram and the integrity
 * check. Roles are covered by the generated authorization matrix; this checks what callers see.
 * Other API test files share the server, so counts are compared as "at least", never exactly.
 */
const service = () => asToken(env.tokens.service);

/** Writes straight into the server's SQLite file: sabotage and fixtures the API cannot make. */
function writeDatabase(script: (db: Database.Database) => void): void {
  const db = new Database(env.databaseFile);
  try {
    script(db);
  } finally {
    db.close();
  }
}

/** How Prisma stores a DateTime in SQLite. */
const sqliteDate = (date: Date) => date.toISOString().replace("Z", "+00:00");

let viewer: Credentials;
let support: Credentials;
beforeAll(async () => {
  viewer = await signIn("viewer", env.passwords.viewer);
  support = await signIn("support", env.passwords.support);
});

describe("GET /api/v1/overview", () => {
  it("counts players by status and sums the stored cache samples of the last hour", async () => {
    const before = overviewSchema.parse((await callJson(viewer, "GET", "/api/v1/overview")).body);
    const dead = await createTestPlayer();
    await callJson(service(), "POST", `/api/v1/players/${dead.id}/damage`, { body: { amount: 1_000 } });
    const wounded = await createTestPlayer();
    await callJson(service(), "POST", `/api/v1/players/${wounded.id}/damage`, { body: { amount: 105 } });
    writeDatabase((db) =>
      db
        .prepare(
          `INSERT INTO "CacheMetricSample" ("at", "instanceId", "intervalMs", "hits", "misses", "invalidationsWrite", "invalidationsTtl", "invalidationsEvent", "invalidationsManual", "evictions", "entries", "staleSavesRefused", "persistenceErrors", "writes")
           VALUES (?, 'overview-test', 10000, 900, 100, 7, 0, 0, 2, 0, 0, 3, 0, 0)`,
        )
        .run(sqliteDate(new Date())),
    );

    const { status, body } = await callJson(viewer, "GET", "/api/v1/overview");
    expect(status).toBe(200);
    const after = overviewSchema.parse(body);
    expect(after.healthFloor).toBe(-10);
    expect(after.playersTotal).toBeGreaterThanOrEqual(before.playersTotal + 2);
    expect(after.playersDead).toBeGreaterThanOrEqual(before.playersDead + 1);
    expect(after.playersMortallyWounded).toBeGreaterThanOrEqual(before.playersMortallyWounded + 1);
    // Just written to by the game server: online.
    expect(after.playersOnline).toBeGreaterThanOrEqual(2);
    expect(after.staleSavesRefusedLastHour).toBeGreaterThanOrEqual(before.staleSavesRefusedLastHour + 3);
    expect(after.invalidationsLastHour.write).toBeGreaterThanOrEqual(before.invalidationsLastHour.write + 7);
    expect(after.invalidationsLastHour.manual).toBeGreaterThanOrEqual(before.invalidationsLastHour.manual + 2);
    const { write, ttl, event, manual, total } = after.invalidationsLastHour;
    expect(total).toBe(write + ttl + event + manual);
    expect(after.cacheHitRate).not.toBeNull();
    expect(after.cacheHitRateWindowSeconds).toBe(300);
  });
});

describe("GET /api/v1/errors/histogram", () => {
  // A window long ago, so that no other test's errors land in it.
  const since = new Date("2020-01-01T00:00:00.000Z");
  const until = new Date("2020-01-01T00:10:00.000Z");
  const range = `since=${since.toISOString()}&until=${until.toISOString()}`;

  beforeAll(() => {
    writeDatabase((db) => {
      const insert = db.prepare(`INSERT INTO "ErrorLogEntry" ("at", "level", "module", "message") VALUES (?, ?, ?, ?)`);
      insert.run(sqliteDate(new Date("2020-01-01T00:02:30.000Z")), "error", "histogram-test", "one");
      insert.run(sqliteDate(new Date("2020-01-01T00:03:10.000Z")), "error", "histogram-test", "two");
      insert.run(sqliteDate(new Date("2020-01-01T00:03:50.000Z")), "fatal", "histogram-test", "three");
      insert.run(sqliteDate(new Date("2020-01-01T00:09:59.000Z")), "error", "other-module", "four");
    });
  });

  it("counts entries per bucket by level, one-minute buckets by default for a short range", async () => {
    const { status, body } = await callJson(viewer, "GET", `/api/v1/errors/histogram?${range}`);
    expect(status).toBe(200);
    const histogram = errorHistogramSchema.parse(body);
    expect(histogram.range).toEqual({ since: since.toISOString(), until: until.toISOString(), stepSeconds: 60 });
    expect(histogram.buckets).toHaveLength(10);
    expect(histogram.buckets[2]).toEqual({ at: "2020-01-01T00:02:00.000Z", error: 1, fatal: 0 });
    expect(histogram.buckets[3]).toEqual({ at: "2020-01-01T00:03:00.000Z", error: 1, fatal: 1 });
    expect(histogram.buckets[9]).toEqual({ at: "2020-01-01T00:09:00.000Z", error: 1, fatal: 0 });
  });

  it("honours step, level and module", async () => {
    const wide = errorHistogramSchema.parse((await callJson(viewer, "GET", `/api/v1/errors/histogram?${range}&step=300`)).body);
    expect(wide.range.stepSeconds).toBe(300);
    expect(wide.buckets).toEqual([
      { at: "2020-01-01T00:00:00.000Z", error: 2, fatal: 1 },
      { at: "2020-01-01T00:05:00.000Z", error: 1, fatal: 0 },
    ]);
    const fatal = errorHistogramSchema.parse((await callJson(viewer, "GET", `/api/v1/errors/histogram?${range}&step=600&level=fatal`)).body);
    expect(fatal.buckets).toEqual([{ at: "2020-01-01T00:00:00.000Z", error: 0, fatal: 1 }]);
    const other = errorHistogramSchema.parse((await callJson(viewer, "GET", `/api/v1/errors/histogram?${range}&step=600&module=other-module`)).body);
    expect(other.buckets).toEqual([{ at: "2020-01-01T00:00:00.000Z", error: 1, fatal: 0 }]);
  });

  it("refuses bad ranges and steps with 422 problem+json", async () => {
    for (const query of [
      `since=${until.toISOString()}&until=${since.toISOString()}`,
      `${range}&step=30`,
      `${range}&step=90`,
      `${range}&step=abc`,
      "since=2000-01-01T00:00:00Z&until=2026-01-01T00:00:00Z&step=60",
      `${range}&bucket=60`,
    ]) {
      const { status, headers, body } = await callJson<{ code: string }>(viewer, "GET", `/api/v1/errors/histogram?${query}`);
      expect({ query, status }).toEqual({ query, status: 422 });
      expect(headers.get("content-type")).toContain("application/problem+json");
      expect(body.code).toBe("invalid_input");
    }
  });
});

describe("integrity check over HTTP", () => {
  it("runs on demand, stores the run, and reports one player's flags", async () => {
    const honest = await createTestPlayer();
    await callJson(service(), "POST", `/api/v1/players/${honest.id}/damage`, { body: { amount: 10 } });
    const sabotaged = await createTestPlayer();
    await callJson(service(), "POST", `/api/v1/players/${sabotaged.id}/damage`, { body: { amount: 10 } });
    // The original bug, behind the ledger's back: the trigger dropped, the row changed, the trigger restored.
    writeDatabase((db) => {
      const trigger = (db.prepare(`SELECT "sql" FROM "sqlite_master" WHERE "type" = 'trigger' AND "name" = 'Player_ledger'`).get() as { sql: string }).sql;
      db.exec(`DROP TRIGGER "Player_ledger"`);
      db.prepare(`UPDATE "Player" SET "health" = 100 WHERE "id" = ?`).run(sabotaged.id);
      db.exec(trigger);
    });

    const { status, body } = await callJson(support, "POST", "/api/v1/integrity/runs", { headers: { "Idempotency-Key": randomUUID() } });
    expect(status).toBe(200);
    const report = integrityReportSchema.parse(body);
    expect(report.run).toMatchObject({ trigger: "manual", actor: "support" });
    expect(report.run!.playersScanned).toBeGreaterThanOrEqual(2);
    expect(report.run!.findingCount).toBe(report.findings.length);
    const flagged = report.findings.filter((finding) => finding.playerId === sabotaged.id);
    expect(flagged).toEqual([
      expect.objectContaining({ kind: "ledger_mismatch", severity: "error", detail: { check: "replay", field: "health", stored: 100, replayed: 90 } }),
    ]);
    expect(report.findings.some((finding) => finding.playerId === honest.id)).toBe(false);

    // Any later run (a scheduled one may have started since) still flags the sabotaged player.
    const forPlayer = integrityReportSchema.parse((await callJson(viewer, "GET", `/api/v1/integrity?playerId=${sabotaged.id}`)).body);
    expect(forPlayer.run).not.toBeNull();
    expect(forPlayer.findings.map((finding) => [finding.playerId, finding.kind])).toEqual([[sabotaged.id, "ledger_mismatch"]]);
    const clean = integrityReportSchema.parse((await callJson(viewer, "GET", `/api/v1/integrity?playerId=${honest.id}`)).body);
    expect(clean.findings).toEqual([]);
  });

  it("replays a repeated Idempotency-Key instead of running again", async () => {
    const key = randomUUID();
    const first = await callJson<{ run: { id: string } }>(support, "POST", "/api/v1/integrity/runs", { headers: { "Idempotency-Key": key } });
    const again = await callJson<{ run: { id: string } }>(support, "POST", "/api/v1/integrity/runs", { headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.run.id).toBe(first.body.run.id);
  });

  it("refuses an over-long playerId filter with 422", async () => {
    const { status, body } = await callJson<{ code: string }>(viewer, "GET", `/api/v1/integrity?playerId=${"x".repeat(65)}`);
    expect(status).toBe(422);
    expect(body.code).toBe("invalid_input");
  });
});
