import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors/app-error.ts";
import { correctHealth } from "../../lib/player-operations/correct-health.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import { healPlayer } from "../../lib/player-operations/heal-player.ts";
import { respawnPlayer } from "../../lib/player-operations/respawn-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import type { Player } from "../../lib/persistence/player-record.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import { listPlayers } from "../../lib/persistence/list-players.ts";
import { listPlayerEvents } from "../../lib/persistence/list-player-events.ts";
import { parseInput } from "../../lib/validation/parse-input.ts";
import { auditQuery, cacheStatsQuery, errorHistogramQuery, errorLogQuery } from "../../lib/api/api-schemas.ts";
import { cacheStatsHistory } from "../../lib/metrics/cache-stats-history.ts";
import { errorHistogram } from "../../lib/errors/error-histogram.ts";
import { problemResponse } from "../../lib/http/problem.ts";
import { addErrorSink } from "../../lib/logging/logger.ts";
import type { LoggedError } from "../../lib/logging/logger.ts";
import type { TestContext } from "../helpers/test-database.ts";

const UNKNOWN = "00000000-0000-4000-8000-000000000000";
const badAmounts: Array<[string, unknown]> = [
  ["a fraction", 1.5],
  ["zero", 0],
  ["a negative number", -5],
  ["more than 1,000,000", 1_000_001],
  ["a string", "10"],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["null", null],
];

describe("bad input: a typed error that says what is wrong, and nothing changes", () => {
  let t: TestContext;
  let player: Player;
  const snapshot = async () => ({
    players: (await t.sql.all(`SELECT * FROM "Player" ORDER BY "id"`)),
    events: (await t.sql.get(`SELECT COUNT(*) AS n FROM "PlayerEvent"`)),
    audit: (await t.sql.get(`SELECT COUNT(*) AS n FROM "AuditEntry"`)),
  });
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    t = await createTestContext();
    player = await createPlayer(t.ctx, { name: "Ithaqua", experiencePoints: 554 }, system);
    before = await snapshot();
  });
  afterAll(async () => {
    expect(await snapshot()).toEqual(before);
    await t.close();
  });

  async function expectRefusal(promise: Promise<unknown>, code: string, message?: RegExp) {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    if (message) expect((error as AppError).message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  }

  const amountOperations = {
    damage: (amount: unknown) => damagePlayer(t.ctx, player.id, amount as number, {}, system),
    heal: (amount: unknown) => healPlayer(t.ctx, player.id, amount as number, {}, system),
    gainExperience: (amount: unknown) => gainExperience(t.ctx, player.id, amount as number, {}, system),
    "correctHealth (delta)": (amount: unknown) => correctHealth(t.ctx, player.id, { delta: amount as number, reason: "test" }, system),
  };

  for (const [operation, run] of Object.entries(amountOperations)) {
    for (const [label, amount] of badAmounts) {
      if (operation.startsWith("correctHealth") && label === "a negative number") continue; // negative deltas are valid corrections
      it(`${operation} refuses ${label}`, async () => {
        await expectRefusal(run(amount), "invalid_input", operation.startsWith("correct") ? /delta/ : /amount/);
      });
    }
  }

  it("every operation refuses an unknown player with player_not_found", async () => {
    await expectRefusal(damagePlayer(t.ctx, UNKNOWN, 10, {}, system), "player_not_found", new RegExp(UNKNOWN));
    await expectRefusal(healPlayer(t.ctx, UNKNOWN, 10, {}, system), "player_not_found");
    await expectRefusal(gainExperience(t.ctx, UNKNOWN, 1, {}, system), "player_not_found");
    await expectRefusal(correctHealth(t.ctx, UNKNOWN, { delta: 1, reason: "test" }, system), "player_not_found");
    await expectRefusal(respawnPlayer(t.ctx, UNKNOWN, system), "player_not_found");
    const { id: _ownId, ...withoutId } = player;
    await expectRefusal(savePlayer(t.ctx, UNKNOWN, withoutId, 1, system), "player_not_found");
    // A body that names another player is a mistake, not something to ignore.
    await expectRefusal(savePlayer(t.ctx, UNKNOWN, player, 1, system), "invalid_input", /not/);
    await expectRefusal(getPlayerOrThrow(t.ctx, UNKNOWN), "player_not_found");
  });

  it("refuses malformed ids and option values", async () => {
    await expectRefusal(damagePlayer(t.ctx, "", 10, {}, system), "invalid_input", /player id/);
    await expectRefusal(damagePlayer(t.ctx, "x".repeat(65), 10, {}, system), "invalid_input", /player id/);
    await expectRefusal(damagePlayer(t.ctx, player.id, 10, { damageType: "x".repeat(51) }, system), "invalid_input", /damageType/);
    await expectRefusal(damagePlayer(t.ctx, player.id, 10, { unexpected: true } as never, system), "invalid_input");
    await expectRefusal(healPlayer(t.ctx, player.id, 10, { source: "\u0000evil" }, system), "invalid_input", /control characters/);
  });

  it("refuses bad corrections", async () => {
    await expectRefusal(correctHealth(t.ctx, player.id, { health: 50, reason: "" }, system), "invalid_input", /reason/);
    await expectRefusal(correctHealth(t.ctx, player.id, { health: 50 } as never, system), "invalid_input");
    await expectRefusal(correctHealth(t.ctx, player.id, { delta: 0, reason: "nothing" }, system), "invalid_input", /delta must not be 0/);
    await expectRefusal(correctHealth(t.ctx, player.id, { health: 101, reason: "above max" }, system), "invalid_input", /between -10 and 100/);
    await expectRefusal(correctHealth(t.ctx, player.id, { health: -11, reason: "below floor" }, system), "invalid_input", /between -10 and 100/);
    await expectRefusal(correctHealth(t.ctx, player.id, { health: 50, reason: "old form" }, { ...system, expectedVersion: 0 }), "invalid_input", /expected version/);
  });

  it("refuses bad whole-object saves", async () => {
    await expectRefusal(savePlayer(t.ctx, player.id, { ...player, health: 101 }, 1, system), "invalid_input", /health/);
    await expectRefusal(savePlayer(t.ctx, player.id, { ...player, experiencePoints: -1 }, 1, system), "invalid_input", /experiencePoints/);
    await expectRefusal(savePlayer(t.ctx, player.id, { ...player, name: "" }, 1, system), "invalid_input", /name/);
    await expectRefusal(savePlayer(t.ctx, player.id, player, 1.5, system), "invalid_input", /expected version/);
    await expectRefusal(savePlayer(t.ctx, player.id, player, 2, system), "stale_version");
  });

  it("refuses bad creates and duplicate names", async () => {
    await expectRefusal(createPlayer(t.ctx, { name: "" }, system), "invalid_input", /name/);
    await expectRefusal(createPlayer(t.ctx, { name: "Ok", maxHealth: 0 }, system), "invalid_input", /maxHealth/);
    await expectRefusal(createPlayer(t.ctx, { name: "Ok", maxHealth: 50, health: 60 }, system), "invalid_input", /health must not exceed maxHealth/);
    await expectRefusal(createPlayer(t.ctx, { name: "Ithaqua" }, system), "already_exists", /Ithaqua/);
  });
});

describe("query input: decimal integers, sane dates, literal search, bounded buckets", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
    for (const name of ["100% Mad", "under_score", "Plain Name", "back\\slash"]) await createPlayer(t.ctx, { name }, system);
  });
  afterAll(async () => t.close());

  async function refusal(promise: Promise<unknown>): Promise<AppError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  it("matches % and _ in a search literally (and case-insensitively)", async () => {
    const names = async (search: string) => (await listPlayers(t.ctx, { search })).items.map((player) => player.name);
    expect(await names("%")).toEqual(["100% Mad"]);
    expect(await names("_")).toEqual(["under_score"]);
    expect(await names("0% m")).toEqual(["100% Mad"]);
    expect(await names("r_S")).toEqual(["under_score"]);
    expect(await names("n%e")).toEqual([]);
    expect(await names("\\")).toEqual(["back\\slash"]);
    expect(await names("plain")).toEqual(["Plain Name"]);
    expect((await listPlayers(t.ctx, { search: "_" })).total).toBe(1);
  });

  it("accepts only decimal integers", async () => {
    for (const limit of ["0x10", "1e1", " 16", "16.0", "+16", "0o20", "Infinity", "NaN", "", "9".repeat(20)]) {
      const error = await refusal(listPlayers(t.ctx, { limit: limit as never }));
      expect(error.code, limit).toBe("invalid_input");
      expect(error.message).toMatch(/limit must be a decimal integer/);
    }
    expect((await refusal(listPlayers(t.ctx, { limit: "101" as never }))).message).toMatch(/limit must be between 1 and 100/);
    expect((await listPlayers(t.ctx, { limit: "2" as never })).items).toHaveLength(2);
    expect(() => parseInput(errorLogQuery, { cursor: "0x10" }, "query")).toThrow(/cursor must be a decimal integer/);
  });

  it("accepts only ISO 8601 dates from 2000-01-01 to a day after now", async () => {
    const playerId = (await listPlayers(t.ctx, {})).items[0]!.id;
    const refused = ["0", "1", "-1", "1999-12-31T23:59:59Z", "+275760-09-13T00:00:00.001Z", "-271821-04-19T23:59:59Z", "9999-12-31T23:59:59Z", "2026-02-30", "2026-13-01", "2026-11-25T25:00:00Z", "yesterday", "Tue, 24 Nov 2026 10:00:00 GMT", "1732000000000"];
    for (const since of refused) {
      expect((await refusal(listPlayerEvents(t.ctx, playerId, { since: since as never }))).code, since).toBe("invalid_input");
      for (const schema of [cacheStatsQuery, errorHistogramQuery, errorLogQuery, auditQuery]) {
        expect(() => parseInput(schema, { since }, "query"), since).toThrow(AppError);
      }
    }
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect(() => parseInput(auditQuery, { since: tomorrow }, "query")).toThrow(/since must be between 2000-01-01 and one day after now/);
    // Accepted forms: date, date-time with Z, with an offset, and without one (read as UTC).
    expect(parseInput(auditQuery, { since: "2026-11-01" }, "query").since).toEqual(new Date("2026-11-01T00:00:00Z"));
    expect(parseInput(auditQuery, { since: "2026-11-01T10:00:00+02:00" }, "query").since).toEqual(new Date("2026-11-01T08:00:00Z"));
    expect(parseInput(auditQuery, { since: "2026-11-01T10:00" }, "query").since).toEqual(new Date("2026-11-01T10:00:00Z"));
    expect(parseInput(auditQuery, { since: "2026-11-01T10:00:00.123Z" }, "query").since).toEqual(new Date("2026-11-01T10:00:00.123Z"));
  });

  it("refuses more than 1,000 buckets before reading anything, naming the limit", async () => {
    const until = new Date();
    const since = new Date(until.getTime() - 365 * 86_400_000);
    const query = parseInput(cacheStatsQuery, { since: since.toISOString(), until: until.toISOString(), step: "10" }, "query");
    const error = await refusal(cacheStatsHistory(t.ctx, query));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(/at most 1,000 buckets; this range at step 10 s needs 3,153,600/);
    const histogram = parseInput(errorHistogramQuery, { since: since.toISOString(), until: until.toISOString(), step: "60" }, "query");
    expect((await refusal(errorHistogram(t.ctx, histogram))).message).toMatch(/at most 1,000 buckets; this range at step 60 s needs 525,600/);
  });

  it("sums cache samples and counts errors per bucket in the database", async () => {
    const since = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
    const at = (seconds: number) => new Date(since.getTime() + seconds * 1000);
    const sample = (seconds: number, hits: number, p99: number | null, instanceId = "a") => ({
      at: at(seconds), instanceId, intervalMs: 10_000, hits, misses: 1, invalidationsWrite: 1, invalidationsTtl: 0, invalidationsEvent: 0, invalidationsManual: 0,
      evictions: 0, entries: hits, staleSavesRefused: 0, persistenceErrors: 0, writes: 2, writeLatencyP50Ms: null, writeLatencyP99Ms: p99,
    });
    // Bucket edges: 0 and 60 s start buckets 0 and 1 exactly; 59.999 s is still bucket 0; until is exclusive.
    await t.ctx.db.cacheMetricSample.createMany({
      data: [sample(-1, 1000, 1), sample(0, 5, 1.5), sample(10, 7, null, "b"), sample(59.999, 1, 9), sample(60, 3, 2), sample(170, 4, null), sample(180, 1000, 1)],
    });
    const stats = await cacheStatsHistory(t.ctx, parseInput(cacheStatsQuery, { since: since.toISOString(), until: at(180).toISOString(), step: "60" }, "query"));
    expect(stats.range.stepSeconds).toBe(60);
    expect(stats.buckets.map((bucket) => [bucket.hits, bucket.misses, bucket.entries, bucket.writes, bucket.writeLatencyP99Ms])).toEqual([
      [13, 3, 7, 6, 9],
      [3, 1, 3, 2, 2],
      [4, 1, 4, 2, null],
    ]);
    expect(stats.buckets[0]!.hitRate).toBeCloseTo(13 / 16);

    await t.ctx.db.errorLogEntry.createMany({
      data: [
        { at: at(0), level: "error", module: "http", message: "a" },
        { at: at(59), level: "fatal", module: "http", message: "b" },
        { at: at(61), level: "error", module: "persistence", message: "c" },
        { at: at(120), level: "error", module: "http", message: "outside" },
      ],
    });
    const histogram = await errorHistogram(t.ctx, parseInput(errorHistogramQuery, { since: since.toISOString(), until: at(120).toISOString(), step: "60" }, "query"));
    expect(histogram.buckets.map((bucket) => [bucket.error, bucket.fatal])).toEqual([[1, 1], [1, 0]]);
    const httpOnly = await errorHistogram(t.ctx, parseInput(errorHistogramQuery, { since: since.toISOString(), until: at(120).toISOString(), step: "60", module: "http" }, "query"));
    expect(httpOnly.buckets.map((bucket) => [bucket.error, bucket.fatal])).toEqual([[1, 1], [0, 0]]);
  });

  it("an AppError from another copy of its module is still a 4xx, and a 4xx writes no error-log line", async () => {
    // Next's dev server compiles pages and route handlers separately: the combat lab's registry
    // threw the layout's copy of AppError, and player_dead became a logged 500.
    const secondCopy: string = "../../lib/errors/app-error.ts?second-copy";
    const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof import("../../lib/errors/app-error.ts");
    expect(copy.AppError).not.toBe(AppError);
    const logged: LoggedError[] = [];
    const remove = addErrorSink((entry) => logged.push(entry));
    try {
      const response = problemResponse(new copy.AppError("player_dead", "Player x is dead"), "request-1", t.ctx.logger, "/api/v1/combat/encounters");
      expect(response.status).toBe(422);
      expect(((await response.json()) as { code: string }).code).toBe("player_dead");
      expect(problemResponse(new Error("boom"), "request-2", t.ctx.logger, "/x").status).toBe(500);
    } finally {
      remove();
    }
    expect(logged.map((entry) => entry.message)).toEqual(["unhandled error in route handler"]);
  });
});
