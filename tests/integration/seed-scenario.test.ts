import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StaleDataError } from "../../lib/errors/app-error.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { withRetry } from "../../lib/persistence/with-retry.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";

const at = (time: string) => new Date(`2026-11-20T${time}Z`);
const combat = { actor: { name: "game-server", kind: "service" as const } };

describe("the seed scenario (the bug Pnakotic exists for)", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("replays the timeline step by step: 100 → 90 → 80 → 70, XP 554 → 555, health stays 70", async () => {
    const ithaqua = await createPlayer(t.ctx, { name: "Ithaqua", maxHealth: 100, experiencePoints: 554 }, system);
    expect(ithaqua).toMatchObject({ health: 100, experiencePoints: 554, version: 1, status: "alive" });

    const steps = [
      await damagePlayer(t.ctx, ithaqua.id, 10, { damageType: "melee", source: "npc:dr-francis-morgan" }, { ...combat, at: at("13:40:48") }),
      await damagePlayer(t.ctx, ithaqua.id, 10, { damageType: "melee", source: "npc:dr-francis-morgan" }, { ...combat, at: at("13:41:00") }),
      await damagePlayer(t.ctx, ithaqua.id, 10, { damageType: "melee", source: "npc:dr-francis-morgan" }, { ...combat, at: at("13:41:12") }),
      await gainExperience(t.ctx, ithaqua.id, 1, { source: "npc:dr-francis-morgan" }, { ...combat, at: at("13:41:19") }),
    ];
    expect(steps.map((step) => step.player.health)).toEqual([90, 80, 70, 70]);
    expect(steps.map((step) => step.player.version)).toEqual([2, 3, 4, 5]);

    const stored = (await t.sql.get(`SELECT "health", "experiencePoints", "level", "version" FROM "Player" WHERE "id" = ?`, ithaqua.id));
    expect(stored).toEqual({ health: 70, experiencePoints: 555, level: 3, version: 5 });

    const ledger = (await t.sql.all(`SELECT "at", "field", "before", "after", "delta", "reason", "actor" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id"`, ithaqua.id));
    expect(ledger).toEqual([
      { at: "2026-11-20T13:40:48.000Z", field: "health", before: 100, after: 90, delta: -10, reason: "damage", actor: "game-server" },
      { at: "2026-11-20T13:41:00.000Z", field: "health", before: 90, after: 80, delta: -10, reason: "damage", actor: "game-server" },
      { at: "2026-11-20T13:41:12.000Z", field: "health", before: 80, after: 70, delta: -10, reason: "damage", actor: "game-server" },
      { at: "2026-11-20T13:41:19.000Z", field: "experience", before: 554, after: 555, delta: 1, reason: "experience", actor: "game-server" },
    ]);
    expect(await reconcilePlayer(t.sql, ithaqua.id, { health: 100, experience: 554, level: 3 })).toEqual([]);
  });

  it("with merge=none (Prefer: merge=none), a stale whole-object save after combat raises StaleDataError and changes nothing", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua", maxHealth: 100, experiencePoints: 554 }, system);
    // The XP path loads (and caches) its copy before combat…
    const { player: staleCopy } = await getPlayerOrThrow(t.ctx, id);
    // …combat saves health correctly…
    for (let round = 0; round < 3; round += 1) await damagePlayer(t.ctx, id, 10, {}, combat);
    // …and the NPC dies: the XP path adds 1 XP to its stale copy and saves the whole object.
    const staleSave = savePlayer(t.ctx, id, { ...staleCopy, experiencePoints: staleCopy.experiencePoints + 1 }, staleCopy.version, { ...combat, merge: "none" });
    await expect(staleSave).rejects.toBeInstanceOf(StaleDataError);
    await expect(staleSave).rejects.toMatchObject({ expectedVersion: 1, currentVersion: 4, code: "stale_version" });

    expect((await t.sql.get(`SELECT "health", "experiencePoints", "version" FROM "Player" WHERE "id" = ?`, id))).toEqual({
      health: 70,
      experiencePoints: 554,
      version: 4,
    });
    expect((await t.sql.get(`SELECT COUNT(*) AS n FROM "PlayerEvent" WHERE "playerId" = ?`, id))).toEqual({ n: 3 });
    expect(t.ctx.metrics.staleSavesRefused).toBe(1);

    // The cache never hands the XP path the stale copy again: a fresh read sees 70.
    const fresh = await getPlayerOrThrow(t.ctx, id);
    expect(fresh.player.health).toBe(70);

    // withRetry re-reads and re-applies: the XP lands and health stays 70.
    const saved = await withRetry(async () => {
      const { player } = await getPlayerOrThrow(t.ctx, id);
      return savePlayer(t.ctx, id, { ...player, experiencePoints: player.experiencePoints + 1 }, player.version, combat);
    });
    expect(saved.player).toMatchObject({ health: 70, experiencePoints: 555, version: 5 });
    expect(await reconcilePlayer(t.sql, id, { health: 100, experience: 554, level: 3 })).toEqual([]);
  });
});
