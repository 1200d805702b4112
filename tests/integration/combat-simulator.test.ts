import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EncounterRegistry } from "../../lib/combat/encounter-registry.ts";
import type { EncounterView } from "../../lib/combat/encounter.ts";
import { AppError } from "../../lib/errors/app-error.ts";
import { attachErrorLogSink } from "../../lib/logging/error-log-sink.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";
import { createTestContext, system, waitFor } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

describe("combat simulator", () => {
  let t: TestContext;
  let combat: EncounterRegistry;
  beforeEach(async () => {
    t = await createTestContext();
    combat = new EncounterRegistry({ persistence: t.ctx, defaultRoundIntervalMs: 6_000 });
  });
  afterEach(async () => {
    combat.close();
    await t.close();
  });

  const ithaqua = () => createPlayer(t.ctx, { name: "Ithaqua", maxHealth: 100, experiencePoints: 554 }, system);
  const stored = (id: string) => t.sql.get(`SELECT "health", "experiencePoints", "level" FROM "Player" WHERE "id" = ?`, id);
  const ledger = (id: string) =>
    t.sql.all(`SELECT "id", "field", "before", "after", "reason", "actor", "requestId" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id"`, id);

  it("the seed scenario: disconnect after 20 damage, combat goes on, the NPC dies → health 70, XP 555, four ledger rows", async () => {
    const player = await ithaqua();
    const created = await combat.create({ playerId: player.id, npc: "dr-francis-morgan" }, "qa");
    expect(created).toMatchObject({ mode: "deterministic", seed: 1, status: "running", npc: { name: "Dr. Francis Morgan", health: 50, attackDamage: 10, experienceReward: 1 } });

    let encounter: EncounterView = created;
    while (encounter.player.health > 80) encounter = await combat.advance(created.id, 1);
    expect(encounter.roundsPlayed).toBe(2);
    encounter = combat.disconnect(created.id);
    expect(encounter.player).toMatchObject({ connected: false, disconnectedAfterRound: 2 });
    while (encounter.status === "running") encounter = await combat.advance(created.id, 1);

    expect(encounter).toMatchObject({ status: "finished", outcome: "npc_defeated", roundsPlayed: 4, error: null });
    expect(encounter.player).toMatchObject({ health: 70, experiencePoints: 555, status: "alive" });
    expect(encounter.rounds.map((round) => [round.playerConnected, round.npcHit, round.playerHealthAfter, round.experienceGained])).toEqual([
      [true, 10, 90, null],
      [true, 10, 80, null],
      [false, 10, 70, null],
      [false, null, 70, 1],
    ]);
    expect(encounter.rounds.map((round) => round.npcHealthAfter)).toEqual(
      encounter.rounds.reduce<number[]>((after, round) => [...after, (after.at(-1) ?? 50) - round.playerHit!], []).map((health) => Math.max(0, health)),
    );

    expect(await stored(player.id)).toEqual({ health: 70, experiencePoints: 555, level: 3 });
    const rows = await ledger(player.id);
    expect(rows.map(({ field, before, after, reason, actor, requestId }) => ({ field, before, after, reason, actor, requestId }))).toEqual([
      { field: "health", before: 100, after: 90, reason: "damage", actor: "combat-simulator", requestId: `combat:${created.id}:1` },
      { field: "health", before: 90, after: 80, reason: "damage", actor: "combat-simulator", requestId: `combat:${created.id}:2` },
      { field: "health", before: 80, after: 70, reason: "damage", actor: "combat-simulator", requestId: `combat:${created.id}:3` },
      { field: "experience", before: 554, after: 555, reason: "experience", actor: "combat-simulator", requestId: `combat:${created.id}:4` },
    ]);
    // The round log names exactly the ledger rows each round wrote.
    expect(encounter.rounds.flatMap((round) => round.eventIds)).toEqual(rows.map((row) => row.id));
    expect(await reconcilePlayer(t.sql, player.id, { health: 100, experience: 554, level: 3 })).toEqual([]);
  });

  it("is reproducible: the same seed replays the same strikes, and Dr. Francis Morgan falls in round 4 whatever the seed", async () => {
    const strikes: Array<Array<number | null>> = [];
    for (const seed of [1, 1, 2, 99, 4_294_967_295]) {
      const player = await createPlayer(t.ctx, { name: `Ithaqua-${strikes.length}`, experiencePoints: 554 }, system);
      const { id } = await combat.create({ playerId: player.id, npc: "dr-francis-morgan", seed }, "qa");
      const encounter = await combat.advance(id, 100);
      expect(encounter).toMatchObject({ outcome: "npc_defeated", roundsPlayed: 4, player: { health: 70, experiencePoints: 555 } });
      strikes.push(encounter.rounds.map((round) => round.playerHit));
    }
    expect(strikes[0]).toEqual(strikes[1]);
    expect(strikes.flat().every((hit) => hit !== null && hit >= 13 && hit <= 16)).toBe(true);
  });

  it("player death (health at the floor) ends the encounter; a mortally wounded player cannot strike", async () => {
    const player = await createPlayer(t.ctx, { name: "Wilbur", maxHealth: 100 }, system);
    const { id } = await combat.create({ playerId: player.id, customNpc: { name: "Great Old One", health: 1_000, attackDamage: 25, experienceReward: 500 } }, "qa");
    const encounter = await combat.advance(id, 100);

    expect(encounter).toMatchObject({ status: "finished", outcome: "player_dead", roundsPlayed: 5, player: { health: -10, status: "dead" } });
    expect(encounter.rounds.map((round) => [round.playerHit === null, round.playerHealthAfter, round.playerStatusAfter])).toEqual([
      [false, 75, "alive"],
      [false, 50, "alive"],
      [false, 25, "alive"],
      [false, 0, "mortally_wounded"],
      [true, -10, "dead"],
    ]);
    expect(await stored(player.id)).toEqual({ health: -10, experiencePoints: 0, level: 1 });
    expect(await ledger(player.id)).toHaveLength(5);

    await expect(combat.advance(id, 1)).rejects.toMatchObject({ code: "encounter_finished", message: expect.stringMatching(/ended after 5 rounds \(player_dead\)/) });
    expect(await ledger(player.id)).toHaveLength(5);
  });

  it("a player killed elsewhere mid-encounter ends it at the next round, without another write", async () => {
    const player = await ithaqua();
    const { id } = await combat.create({ playerId: player.id, npc: "dr-francis-morgan" }, "qa");
    await combat.advance(id, 1);
    await damagePlayer(t.ctx, player.id, 500, {}, system);
    const encounter = await combat.advance(id, 5);
    expect(encounter).toMatchObject({ status: "finished", outcome: "player_dead", roundsPlayed: 1, player: { health: -10 } });
    expect(await ledger(player.id)).toHaveLength(2);
  });

  it("concurrent advance calls never interleave: rounds run one at a time and the ledger reconciles", async () => {
    const player = await ithaqua();
    const { id } = await combat.create({ playerId: player.id, npc: "dr-francis-morgan" }, "qa");
    const results = await Promise.allSettled([combat.advance(id, 1), combat.advance(id, 1), combat.advance(id, 1), combat.advance(id, 1), combat.advance(id, 1)]);
    // Four rounds end the fight; the fifth call finds it over.
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled", "rejected"]);
    expect((results[4] as PromiseRejectedResult).reason).toMatchObject({ code: "encounter_finished" });
    expect(combat.getEncounterOrThrow(id).rounds.map((round) => round.round)).toEqual([1, 2, 3, 4]);
    expect(await stored(player.id)).toEqual({ health: 70, experiencePoints: 555, level: 3 });
    expect(await reconcilePlayer(t.sql, player.id, { health: 100, experience: 554, level: 3 })).toEqual([]);
  });

  it("live mode plays rounds on its own clock and stops when the encounter ends", async () => {
    const player = await ithaqua();
    const created = await combat.create({ playerId: player.id, npc: "dr-francis-morgan", mode: "live", roundIntervalMs: 25 }, "qa");
    expect(created).toMatchObject({ mode: "live", roundIntervalMs: 25, roundsPlayed: 0 });
    await waitFor(() => combat.getEncounterOrThrow(created.id).roundsPlayed >= 2, 5_000, "two live rounds");
    combat.disconnect(created.id);
    await waitFor(() => combat.getEncounterOrThrow(created.id).status !== "running", 5_000, "the live encounter to end");

    const encounter = combat.getEncounterOrThrow(created.id);
    expect(encounter).toMatchObject({ status: "finished", outcome: "npc_defeated", roundsPlayed: 4, player: { connected: false } });
    // Stopped: no further rounds or writes after the end.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(combat.getEncounterOrThrow(created.id).roundsPlayed).toBe(4);
    expect(await stored(player.id)).toEqual({ health: 70, experiencePoints: 555, level: 3 });
    expect(await ledger(player.id)).toHaveLength(4);
  });

  it("live mode defaults to COMBAT_ROUND_INTERVAL_MS and a live seed is recorded so the fight can be replayed", async () => {
    const player = await ithaqua();
    const encounter = await combat.create({ playerId: player.id, npc: "nightgaunt", mode: "live" }, "qa");
    expect(encounter.roundIntervalMs).toBe(6_000);
    expect(Number.isInteger(encounter.seed)).toBe(true);
  });

  it("a failed live round is logged at ERROR (error log), recorded on the encounter, and stops it", async () => {
    const errorLog = attachErrorLogSink(t.ctx.db);
    try {
      const player = await ithaqua();
      await t.sql.execute(
        t.dialect === "sqlite"
          ? `CREATE TRIGGER sabotage BEFORE UPDATE OF "health" ON "Player" BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`
          : `CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$;
             CREATE TRIGGER sabotage BEFORE UPDATE OF "health" ON "Player" FOR EACH ROW EXECUTE FUNCTION sabotage();`,
      );
      const { id } = await combat.create({ playerId: player.id, npc: "dr-francis-morgan", mode: "live", roundIntervalMs: 20 }, "qa");
      await waitFor(() => combat.getEncounterOrThrow(id).status !== "running", 5_000, "the live encounter to fail");

      const encounter = combat.getEncounterOrThrow(id);
      // The encounter says that it failed and where to look; the database's own text stays in the error log.
      expect(encounter).toMatchObject({ status: "failed", outcome: null, roundsPlayed: 1, error: { code: "internal", message: expect.stringMatching(/round 1; the error log has the details/) } });
      expect(encounter.rounds[0]!.error?.code).toBe("internal");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(combat.getEncounterOrThrow(id).roundsPlayed).toBe(1);
      await expect(combat.advance(id, 1)).rejects.toMatchObject({ code: "encounter_finished", message: expect.stringMatching(/\(failed: an unexpected error stopped round 1/) });

      await errorLog.flush();
      const logged = await t.sql.all<{ module: string; message: string; stack: string; context: Record<string, unknown> }>(
        `SELECT "module", "message", "stack", "context" FROM "ErrorLogEntry" WHERE "module" = 'combat'`,
      );
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ message: "live combat round failed; the encounter stopped", context: expect.objectContaining({ encounterId: id }) });
      expect(logged[0]!.stack).toMatch(/disk on fire/);
      expect(await stored(player.id)).toEqual({ health: 100, experiencePoints: 554, level: 3 });
    } finally {
      errorLog.detach();
    }
  });

  it("holds a bounded number of encounters: finished ones make room, running ones are never dropped", async () => {
    let now = 1_000_000;
    const bounded = new EncounterRegistry({ persistence: t.ctx, defaultRoundIntervalMs: 6_000, maxEncounters: 2, retentionMs: 60_000, now: () => now });
    try {
      const player = await ithaqua();
      const first = await bounded.create({ playerId: player.id, npc: "nightgaunt" }, "qa");
      await bounded.create({ playerId: player.id, npc: "nightgaunt" }, "qa");
      await expect(bounded.create({ playerId: player.id, npc: "nightgaunt" }, "qa")).rejects.toMatchObject({ code: "too_many_encounters" });
      await bounded.advance(first.id, 100);
      const third = await bounded.create({ playerId: player.id, npc: "nightgaunt" }, "qa");
      expect(() => bounded.getEncounterOrThrow(first.id)).toThrow(/No encounter with id/);
      // Deterministic encounters nobody touches for retentionMs expire.
      now += 60_001;
      expect(bounded.list()).toEqual([]);
      expect(() => bounded.getEncounterOrThrow(third.id)).toThrow(AppError);
    } finally {
      bounded.close();
    }
  });
});

describe("combat simulator: bad input is a typed error that says what is wrong, and nothing changes", () => {
  let t: TestContext;
  let combat: EncounterRegistry;
  beforeEach(async () => {
    t = await createTestContext();
    combat = new EncounterRegistry({ persistence: t.ctx, defaultRoundIntervalMs: 6_000 });
  });
  afterEach(async () => {
    combat.close();
    await t.close();
  });

  const snapshot = async () => ({
    players: await t.sql.all(`SELECT * FROM "Player" ORDER BY "id"`),
    events: await t.sql.get(`SELECT COUNT(*) AS n FROM "PlayerEvent"`),
  });

  async function expectRefusal(attempt: () => unknown, code: string, message: RegExp) {
    const before = await snapshot();
    const error = await Promise.resolve()
      .then(attempt)
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    expect((error as AppError).message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  }

  it("refuses unknown players, unknown NPCs, dead players and inconsistent setups", async () => {
    const player = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await expectRefusal(() => combat.create({ playerId: "no-such-player", npc: "dr-francis-morgan" }, "qa"), "player_not_found", /No player with id no-such-player/);
    await expectRefusal(() => combat.create({ playerId: player.id, npc: "cthulhu" as never }, "qa"), "invalid_input", /unknown NPC preset "cthulhu"; known presets: dr-francis-morgan/);
    await expectRefusal(() => combat.create({ playerId: player.id }, "qa"), "invalid_input", /give either npc \(a preset key\) or customNpc/);
    await expectRefusal(
      () => combat.create({ playerId: player.id, npc: "nightgaunt", customNpc: { name: "X", health: 1, attackDamage: 1, experienceReward: 0 } }, "qa"),
      "invalid_input",
      /not both or neither/,
    );
    await expectRefusal(
      () => combat.create({ playerId: player.id, customNpc: { name: "", health: 0, attackDamage: 1.5, experienceReward: -1 } }, "qa"),
      "invalid_input",
      /customNpc\.name: name must not be empty.*customNpc\.health: health must be at least 1.*attackDamage must be a whole number.*experienceReward must be at least 0/,
    );
    await expectRefusal(() => combat.create({ playerId: player.id, npc: "nightgaunt", roundIntervalMs: 100 }, "qa"), "invalid_input", /roundIntervalMs applies to live mode only/);
    await expectRefusal(() => combat.create({ playerId: player.id, npc: "nightgaunt", mode: "turbo" as never }, "qa"), "invalid_input", /mode must be one of: deterministic, live/);
    await expectRefusal(() => combat.create({ playerId: player.id, npc: "nightgaunt", playerDamage: { min: 10, max: 5 } }, "qa"), "invalid_input", /playerDamage\.min must not exceed/);

    await damagePlayer(t.ctx, player.id, 500, {}, system);
    await expectRefusal(() => combat.create({ playerId: player.id, npc: "nightgaunt" }, "qa"), "player_dead", /is dead \(health -10\); respawn them/);
    expect(combat.list()).toEqual([]);
  });

  it.each([
    ["0", 0],
    ["101", 101],
    ["a fraction", 1.5],
    ["a string", "3"],
  ])("refuses advancing %s rounds", async (_label, rounds) => {
    const player = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    const { id } = await combat.create({ playerId: player.id, npc: "dr-francis-morgan" }, "qa");
    await expectRefusal(() => combat.advance(id, rounds as number), "invalid_input", /rounds must (be at least 1|be at most 100|be a whole number|be a number)/);
    expect(combat.getEncounterOrThrow(id).roundsPlayed).toBe(0);
  });

  it("refuses unknown encounters, and advancing or disconnecting a finished one", async () => {
    await expectRefusal(() => combat.advance("no-such-encounter", 1), "encounter_not_found", /No encounter with id no-such-encounter.*do not survive a restart/);
    await expectRefusal(() => combat.disconnect("no-such-encounter"), "encounter_not_found", /No encounter with id/);
    const player = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    const { id } = await combat.create({ playerId: player.id, npc: "nightgaunt" }, "qa");
    expect(await combat.advance(id, 100)).toMatchObject({ outcome: "npc_defeated" });
    await expectRefusal(() => combat.advance(id, 1), "encounter_finished", /Cannot advance encounter .* it ended after \d+ rounds \(npc_defeated\)/);
    await expectRefusal(() => combat.disconnect(id), "encounter_finished", /Cannot disconnect the player from encounter/);
  });
});
