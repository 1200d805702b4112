import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors/app-error.ts";
import { correctHealth } from "../../lib/persistence/correct-health.ts";
import { createPlayer } from "../../lib/persistence/create-player.ts";
import { damagePlayer } from "../../lib/persistence/damage-player.ts";
import { gainExperience } from "../../lib/persistence/gain-experience.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import { healPlayer } from "../../lib/persistence/heal-player.ts";
import { respawnPlayer } from "../../lib/persistence/respawn-player.ts";
import { savePlayer } from "../../lib/persistence/save-player.ts";
import type { Player } from "../../lib/persistence/player-record.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
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
    await expectRefusal(savePlayer(t.ctx, UNKNOWN, player, 1, system), "player_not_found");
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
