import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { healPlayer } from "../../lib/player-operations/heal-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { updateStats } from "../../lib/player-operations/update-stats.ts";
import { declareGameRules, getGameRules } from "../../lib/stats/declare-game-rules.ts";
import { levelUnderRule } from "../../lib/stats/game-rules.ts";
import type { LevelRule } from "../../lib/stats/game-rules.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";
import { closeInstance, integrityFindings } from "../helpers/integrity-findings.ts";
import { createSecondInstance, createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };
const admin = { actor: { name: "admin-ada", kind: "staff" as const }, requestId: "req-rules" };

/** The game's own rules, declared by the operator and followed by SQL, JS and the integrity check alike (SQLite and PostgreSQL). */
describe("the game owns its rules", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });
  const findings = () => integrityFindings(t.ctx);
  const stored = async (id: string) => (await t.sql.get(`SELECT "health", "experiencePoints", "level" FROM "Player" WHERE "id" = ?`, id)) as { health: number; experiencePoints: number; level: number };

  it("undeclared, the rules are today's: floor and death at −10, level floor(sqrt(xp/100))+1, the dead are not healed", async () => {
    expect(await getGameRules(t.ctx)).toEqual({ declared: null, inForce: { level: { mode: "formula" }, healthFloor: -10, deathAt: -10, healDead: false }, fromEventId: null });
    const player = await createPlayer(t.ctx, { name: "Default", experiencePoints: 900 }, system);
    expect(player.level).toBe(4);
    expect((await damagePlayer(t.ctx, player.id, 500, {}, service)).player).toMatchObject({ health: -10, status: "dead" });
    await expect(healPlayer(t.ctx, player.id, 5, {}, service)).rejects.toMatchObject({ code: "player_dead" });
  });

  it("a declared level curve: SQL (every XP write) and JS (creation) give the same level at every threshold", async () => {
    const rule: LevelRule = { mode: "curve", thresholds: [50, 150, 300, 1_000] };
    await declareGameRules(t.ctx, { level: rule }, admin);
    const player = await createPlayer(t.ctx, { name: "Curved" }, system);
    let experience = 0;
    for (const target of [49, 50, 51, 149, 150, 299, 300, 999, 1_000, 50_000]) {
      const gained = await gainExperience(t.ctx, player.id, target - experience, {}, service);
      experience = target;
      expect(gained.player.level, `SQL at ${target} XP`).toBe(levelUnderRule(rule, target));
      expect((await stored(player.id)).level).toBe(levelUnderRule(rule, target));
      const created = await createPlayer(t.ctx, { name: `Curved ${target}`, experiencePoints: target }, system);
      expect(created.level, `JS at ${target} XP`).toBe(levelUnderRule(rule, target));
    }
    expect(levelUnderRule(rule, 50_000)).toBe(5);
    expect(await reconcilePlayer(t.sql, player.id, { experience: 0, level: 1 })).toEqual([]);
    expect(await findings()).toEqual([]);
  });

  it("a game-owned level: experience no longer moves it, the game writes it like any stat (1 … 100)", async () => {
    await declareGameRules(t.ctx, { level: { mode: "game" } }, admin);
    const player = await createPlayer(t.ctx, { name: "Ranvier", experiencePoints: 900 }, system);
    expect(player.level).toBe(1);
    expect((await gainExperience(t.ctx, player.id, 5_000, {}, service)).player).toMatchObject({ level: 1, experiencePoints: 5_900 });
    // Ranvier counts XP within the level and stores the level itself.
    const levelled = await updateStats(t.ctx, player.id, { changes: [{ stat: "level", op: "add", value: 1 }, { stat: "experience", op: "set", value: 0 }] }, service);
    expect(levelled.player).toMatchObject({ level: 2, experiencePoints: 0 });
    await expect(updateStats(t.ctx, player.id, { changes: [{ stat: "level", op: "set", value: 101 }] }, service)).rejects.toMatchObject({ code: "invalid_input" });
    expect(await stored(player.id)).toEqual({ health: 100, experiencePoints: 0, level: 2 });
    // A whole save (Ranvier's PlayerManager.save) carries the level it keeps.
    const saved = await savePlayer(t.ctx, player.id, { ...levelled.player, level: 3, experiencePoints: 40 }, levelled.player.version, service);
    expect(saved.player).toMatchObject({ level: 3, experiencePoints: 40 });
    expect(saved.events.map((event) => [event.field, event.before, event.after])).toEqual([
      ["experience", 0, 40],
      ["level", 2, 3],
    ]);
    await expect(savePlayer(t.ctx, player.id, { ...saved.player, level: 0 }, saved.player.version, service)).rejects.toMatchObject({ code: "invalid_input" });
    expect(await stored(player.id)).toEqual({ health: 100, experiencePoints: 40, level: 3 });
    expect(await reconcilePlayer(t.sql, player.id, { experience: 900, level: 1 })).toEqual([]);
    expect(await findings()).toEqual([]);
  });

  it("no floor and healing the dead allowed: Ranvier-style regeneration is accepted, and the check agrees", async () => {
    await declareGameRules(t.ctx, { health: { floor: null, deathAt: 0, healDead: true } }, admin);
    expect((await getGameRules(t.ctx)).inForce).toMatchObject({ healthFloor: null, deathAt: 0, healDead: true });
    const player = await createPlayer(t.ctx, { name: "Regenerating" }, system);
    expect((await damagePlayer(t.ctx, player.id, 500, {}, service)).player).toMatchObject({ health: -400, status: "dead" });
    for (let tick = 0; tick < 5; tick += 1) await healPlayer(t.ctx, player.id, 100, { source: "regen" }, service);
    expect((await stored(player.id)).health).toBe(100);
    expect(await createPlayer(t.ctx, { name: "Deep", health: -5_000 }, system)).toMatchObject({ health: -5_000, status: "dead" });
    expect(await reconcilePlayer(t.sql, player.id, { health: 100 })).toEqual([]);
    expect(await findings()).toEqual([]);
  });

  it("a rule change is audited and applies from then on, not to history", async () => {
    const player = await createPlayer(t.ctx, { name: "Changing", experiencePoints: 160 }, system);
    await declareGameRules(t.ctx, { level: { mode: "curve", thresholds: [50, 150] } }, admin);
    expect((await gainExperience(t.ctx, player.id, 1, {}, service)).player.level).toBe(3);
    await damagePlayer(t.ctx, player.id, 500, {}, service); // dead at −10
    await declareGameRules(t.ctx, { level: { mode: "curve", thresholds: [50, 150] }, health: { healDead: true } }, admin);
    await healPlayer(t.ctx, player.id, 20, {}, service); // accepted under the rule of the moment
    // Back to the defaults: the stored level stays until the next XP change; the earlier heal is not judged by today's rule.
    await declareGameRules(t.ctx, {}, admin);
    expect(await stored(player.id)).toMatchObject({ health: 10, level: 3 });
    expect((await gainExperience(t.ctx, player.id, 1, {}, service)).player.level).toBe(2);
    expect(await findings()).toEqual([]);
    await expect(healPlayer(t.ctx, player.id, 5, {}, service)).resolves.toBeDefined(); // alive again: heals are fine
    await damagePlayer(t.ctx, player.id, 500, {}, service);
    await expect(healPlayer(t.ctx, player.id, 5, {}, service)).rejects.toMatchObject({ code: "player_dead" });

    const audits = (await t.sql.all(`SELECT "actor", "action", "requestId" FROM "AuditEntry" WHERE "action" = 'rules.declare' ORDER BY "id"`)) as Array<Record<string, string>>;
    expect(audits).toEqual(Array.from({ length: 3 }, () => ({ actor: "admin-ada", action: "rules.declare", requestId: "req-rules" })));
    // The same rules again change nothing and audit nothing.
    await declareGameRules(t.ctx, {}, admin);
    expect(await t.sql.get(`SELECT COUNT(*) AS n FROM "AuditEntry" WHERE "action" = 'rules.declare'`)).toEqual({ n: 3 });
  });

  it("another instance follows a rule change within the registry's refresh", async () => {
    const other = createSecondInstance(t, "instance-b");
    try {
      const player = await createPlayer(t.ctx, { name: "Elsewhere" }, system);
      await damagePlayer(other, player.id, 500, {}, service);
      await expect(healPlayer(other, player.id, 5, {}, service)).rejects.toMatchObject({ code: "player_dead" });
      await declareGameRules(t.ctx, { health: { healDead: true } }, admin);
      const started = Date.now();
      for (;;) {
        try {
          await healPlayer(other, player.id, 5, {}, service);
          break;
        } catch (error) {
          if (Date.now() - started > 5_000) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect((await stored(player.id)).health).toBe(-5);
    } finally {
      await closeInstance(other);
    }
  });

  it("invalid rules are refused with invalid_input and change nothing", async () => {
    for (const rules of [
      { level: { mode: "curve", thresholds: [100, 50] } },
      { level: { mode: "curve", thresholds: [] } },
      { level: { mode: "sqrt" } },
      { health: { floor: -10, deathAt: -20 } },
      { health: { floor: 5 } },
      { health: { healDead: "yes" } },
      { extra: true },
    ]) {
      await expect(declareGameRules(t.ctx, rules, admin)).rejects.toMatchObject({ code: "invalid_input" });
    }
    expect(await t.sql.get(`SELECT COUNT(*) AS n FROM "GameRuleSet"`)).toEqual({ n: 0 });
  });
});
