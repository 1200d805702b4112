import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attachErrorLogSink } from "../../lib/logging/error-log-sink.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { updateStats } from "../../lib/player-operations/update-stats.ts";
import { playerStateAt } from "../../lib/history/player-state-at.ts";
import { declareStats } from "../../lib/stats/declare-stats.ts";
import { MAX_DECLARED_STATS } from "../../lib/stats/stat-definition.ts";
import { closeInstance, integrityFindings } from "../helpers/integrity-findings.ts";
import { createSecondInstance, createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };

/** Declarations are validated against the database inside their own transaction (SQLite and PostgreSQL). */
describe("stat declarations are safe", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  const declaredBounds = async () =>
    (await t.sql.all(`SELECT "key", "maxStat" FROM "StatDefinition" WHERE "key" IN ('loopa', 'loopb') ORDER BY "key"`)) as Array<{ key: string; maxStat: string | null }>;

  it("two instances declaring loopa→loopb and loopb→loopa at once: one is refused, no loop is stored", async () => {
    await declareStats(t.ctx, [{ key: "loopa", label: "A", max: 100 }, { key: "loopb", label: "B", max: 100 }], system);
    const other = createSecondInstance(t, "instance-b");
    try {
      // Instance B's registry copy is warm (and stays so for 2 s): it must not be what validation reads.
      expect(await other.stats.get("loopa")).toMatchObject({ maxStat: null });
      for (let round = 0; round < 3; round += 1) {
        const results = await Promise.allSettled([
          declareStats(t.ctx, [{ key: "loopa", label: "A", maxStat: "loopb" }], system),
          declareStats(other, [{ key: "loopb", label: "B", maxStat: "loopa" }], system),
        ]);
        const refused = results.filter((result) => result.status === "rejected");
        expect(refused).toHaveLength(1);
        expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: "invalid_input", message: expect.stringMatching(/form a loop/) });
        const stored = await declaredBounds();
        expect(stored.filter((row) => row.maxStat !== null)).toHaveLength(1);
        // Undo for the next round.
        await declareStats(t.ctx, [{ key: "loopa", label: "A", max: 100 }, { key: "loopb", label: "B", max: 100 }], system);
      }
    } finally {
      await closeInstance(other);
    }
  });

  it("a declaration after an out-of-band one (stats apply in another process) reads the database, not this process's copy", async () => {
    await declareStats(t.ctx, [{ key: "loopa", label: "A", max: 100 }, { key: "loopb", label: "B", max: 100 }], system);
    await t.ctx.stats.list(); // warm copy: loopa has a numeric bound
    const cli = createSecondInstance(t, "stats-apply");
    try {
      await declareStats(cli, [{ key: "loopa", label: "A", maxStat: "loopb" }], system);
    } finally {
      await closeInstance(cli);
    }
    await expect(declareStats(t.ctx, [{ key: "loopb", label: "B", maxStat: "loopa" }], system)).rejects.toMatchObject({ code: "invalid_input" });
    expect(await declaredBounds()).toEqual([
      { key: "loopa", maxStat: "loopb" },
      { key: "loopb", maxStat: null },
    ]);
  });

  it("a loop already in the table (written behind Pnakotic's back) makes writes answer 503 with an error-log row, not a stack overflow", async () => {
    await declareStats(t.ctx, [{ key: "loopa", label: "A", max: 100 }, { key: "loopb", label: "B", maxStat: "loopa" }], system);
    const player = await createPlayer(t.ctx, { name: "Ulthar" }, system);
    await t.sql.execute(`UPDATE "StatDefinition" SET "max" = NULL, "maxStat" = 'loopb' WHERE "key" = 'loopa'`);
    t.ctx.stats.invalidate();
    const errorLog = attachErrorLogSink(t.ctx.db);
    try {
      for (const write of [
        () => damagePlayer(t.ctx, player.id, 5, {}, { ...service, requestId: "req-loop" }),
        () => updateStats(t.ctx, player.id, { changes: [{ stat: "health", op: "add", value: -1 }] }, { ...service, requestId: "req-loop" }),
        () => updateStats(t.ctx, player.id, { changes: [{ stat: "loopa", op: "add", value: 1 }] }, { ...service, requestId: "req-loop" }),
      ]) {
        await expect(write()).rejects.toMatchObject({ code: "stat_bounds_loop", message: expect.stringMatching(/loopa|loopb/) });
      }
      await errorLog.flush();
      const logged = (await t.sql.all(`SELECT "level", "module", "requestId" FROM "ErrorLogEntry"`)) as Array<Record<string, string>>;
      expect(logged.length).toBeGreaterThanOrEqual(3);
      expect(logged[0]).toMatchObject({ level: "error", module: "persistence", requestId: "req-loop" });
    } finally {
      errorLog.detach();
    }
    expect(await t.sql.get(`SELECT "health", "version" FROM "Player"`)).toEqual({ health: 100, version: 1 });
    // Redeclaring one of the two heals it.
    await declareStats(t.ctx, [{ key: "loopa", label: "A", max: 100 }], system);
    expect((await damagePlayer(t.ctx, player.id, 5, {}, service)).player.health).toBe(95);
  });
});

describe("stat keys and the cap on declared stats", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("ledger field names and JavaScript prototype names are refused with invalid_input; nothing is stored", async () => {
    for (const key of ["name", "room", "profession", "version", "constructor", "toString", "__proto__"]) {
      await expect(declareStats(t.ctx, [{ key, label: key, max: 10 }], system)).rejects.toMatchObject({ code: "invalid_input" });
    }
    expect(await t.sql.get(`SELECT COUNT(*) AS n FROM "StatDefinition" WHERE NOT "builtin"`)).toEqual({ n: 0 });
  });

  it(`at most ${MAX_DECLARED_STATS} declared stats, one call or many; state-at answers with all of them on both databases`, async () => {
    const stat = (index: number) => ({ key: `s${index}`, label: `S${index}`, max: 100, default: index % 100 });
    await declareStats(t.ctx, Array.from({ length: MAX_DECLARED_STATS - 1 }, (_, index) => stat(index)), system);
    await expect(declareStats(t.ctx, [stat(MAX_DECLARED_STATS - 1), stat(MAX_DECLARED_STATS)], system)).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/at most 64 stats/),
    });
    expect(await t.sql.get(`SELECT COUNT(*) AS n FROM "StatDefinition" WHERE NOT "builtin"`)).toEqual({ n: MAX_DECLARED_STATS - 1 });
    await declareStats(t.ctx, [stat(MAX_DECLARED_STATS - 1)], system);
    await expect(declareStats(t.ctx, [stat(MAX_DECLARED_STATS)], system)).rejects.toMatchObject({ code: "invalid_input" });
    // Redeclaring an existing one is no new stat.
    await declareStats(t.ctx, [{ ...stat(3), label: "Three" }], system);

    const player = await createPlayer(t.ctx, { name: "Kadath" }, system);
    const changed = await updateStats(t.ctx, player.id, { changes: [{ stat: "s63", op: "add", value: -5 }] }, service);
    const state = await playerStateAt(t.ctx, player.id, { event: changed.event.id });
    expect(Object.keys(state.stats)).toHaveLength(MAX_DECLARED_STATS + 4);
    expect(state.stats).toMatchObject({ s0: 0, s63: 58, health: 100 });
  });
});

describe("stat rule gaps", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });
  const findings = () => integrityFindings(t.ctx);

  it("defaults are clamped to live bounds at creation: a stat bounded by maxHealth gets its default, and stats.shield = 10 is accepted", async () => {
    await declareStats(t.ctx, [{ key: "shield", label: "Shield", min: 0, maxStat: "maxHealth", default: 50 }, { key: "ward", label: "Ward", min: 0, maxStat: "shield", default: 80 }], system);
    const plain = await createPlayer(t.ctx, { name: "Nyarlathotep" }, system);
    expect(plain.stats).toMatchObject({ shield: 50, ward: 50 }); // ward's default 80 comes down to shield's 50
    const given = await createPlayer(t.ctx, { name: "Azathoth", stats: { shield: 10 } }, system);
    expect(given.stats).toMatchObject({ shield: 10, ward: 10 });
    const small = await createPlayer(t.ctx, { name: "Yog", maxHealth: 30 }, system);
    expect(small.stats).toMatchObject({ shield: 30, ward: 30 });
    await expect(createPlayer(t.ctx, { name: "Shub", maxHealth: 30, stats: { shield: 31 } }, system)).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/stats\.shield must be between 0 and 30/),
    });
    expect(await findings()).toEqual([]);
  });

  it("an empty range is refused: min 100 under a bound that can never exceed 50", async () => {
    await declareStats(t.ctx, [{ key: "cap", label: "Cap", min: 0, max: 50, default: 50 }], system);
    await expect(declareStats(t.ctx, [{ key: "deep", label: "Deep", min: 100, maxStat: "cap", default: 100 }], system)).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/deep can never lie between 100 and cap \(at most 50\)/),
    });
    await expect(declareStats(t.ctx, [{ key: "fine", label: "Fine", min: 10, maxStat: "cap", default: 10 }, { key: "cap", label: "Cap", min: 0, max: 5 }], system)).rejects.toMatchObject({
      code: "invalid_input",
    });
    expect(await t.sql.all(`SELECT "key", "max" FROM "StatDefinition" WHERE NOT "builtin"`)).toEqual([{ key: "cap", max: 50 }]);
  });

  it("turning ledgered off and on again leaves no finding (the history restarts where ledgering resumed)", async () => {
    await declareStats(t.ctx, [{ key: "gold", label: "Gold", max: 1_000_000 }], system);
    const player = await createPlayer(t.ctx, { name: "Hastur" }, system);
    await updateStats(t.ctx, player.id, { changes: [{ stat: "gold", op: "add", value: 5 }] }, service);
    expect(await findings()).toEqual([]);
    await declareStats(t.ctx, [{ key: "gold", label: "Gold", max: 1_000_000, ledgered: false }], system);
    await updateStats(t.ctx, player.id, { changes: [{ stat: "gold", op: "add", value: 7 }, { stat: "health", op: "add", value: -1 }] }, service);
    expect(await findings()).toEqual([]);
    await declareStats(t.ctx, [{ key: "gold", label: "Gold", max: 1_000_000, ledgered: true }], system);
    expect(await findings()).toEqual([]);
    await updateStats(t.ctx, player.id, { changes: [{ stat: "gold", op: "add", value: 1 }] }, service);
    expect(await findings()).toEqual([]);
    expect(await t.sql.all(`SELECT "before", "after" FROM "PlayerEvent" WHERE "field" = 'gold' ORDER BY "id"`)).toEqual([
      { before: 0, after: 5 },
      { before: 12, after: 13 },
    ]);
  });

  it("a declaration of several stats is one transaction: a failure part-way stores none of them", async () => {
    // Make the second upsert fail inside the database (not in validation).
    await t.sql.execute(
      t.dialect === "sqlite"
        ? `CREATE TRIGGER refuse_second BEFORE INSERT ON "StatDefinition" WHEN NEW."key" = 'second' BEGIN SELECT RAISE(ABORT, 'refused'); END;`
        : `CREATE FUNCTION refuse_second() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."key" = 'second' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
           CREATE TRIGGER refuse_second BEFORE INSERT ON "StatDefinition" FOR EACH ROW EXECUTE FUNCTION refuse_second();`,
    );
    await expect(declareStats(t.ctx, [{ key: "first", label: "First", max: 10 }, { key: "second", label: "Second", max: 10 }], system)).rejects.toThrow();
    expect(await t.sql.get(`SELECT COUNT(*) AS n FROM "StatDefinition" WHERE NOT "builtin"`)).toEqual({ n: 0 });
    expect(await t.sql.get(`SELECT COUNT(*) AS n FROM "AuditEntry" WHERE "action" LIKE 'stats.%'`)).toEqual({ n: 0 });
  });
});
