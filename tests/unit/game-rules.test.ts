import { describe, expect, it } from "vitest";
import { levelForExperience } from "../../lib/players/level-curve.ts";
import { GameRuleHistory, NEVER_DEAD, gameRulesSchema, levelUnderRule, resolveGameRules, validateGameRules } from "../../lib/stats/game-rules.ts";
import { STAT_VALUE_LIMIT } from "../../lib/stats/stat-definition.ts";

describe("the game's rules", () => {
  it("undeclared rules are today's: floor and death at HEALTH_FLOOR, the formula, no healing the dead", () => {
    expect(resolveGameRules({}, -10)).toEqual({ level: { mode: "formula" }, healthFloor: -10, deathAt: -10, healDead: false });
    for (const experience of [0, 99, 100, 399, 400, 1_000_000, 2_000_000_000]) expect(levelUnderRule({ mode: "formula" }, experience)).toBe(levelForExperience(experience));
  });

  it("no floor and no death resolve to values no storable health passes", () => {
    expect(resolveGameRules({ health: { floor: null, deathAt: null } }, -10)).toMatchObject({ healthFloor: -STAT_VALUE_LIMIT, deathAt: NEVER_DEAD });
    expect(resolveGameRules({ health: { floor: null } }, -10).deathAt).toBe(NEVER_DEAD); // death follows the floor
    expect(resolveGameRules({ health: { floor: -50, deathAt: 0 } }, -10)).toMatchObject({ healthFloor: -50, deathAt: 0 });
  });

  it("a curve counts the thresholds reached, capped at level 100; a game-owned level is not derived", () => {
    const curve = { mode: "curve" as const, thresholds: [10, 20, 30] };
    expect([0, 9, 10, 19, 20, 30, 10_000].map((experience) => levelUnderRule(curve, experience))).toEqual([1, 1, 2, 2, 3, 4, 4]);
    expect(levelUnderRule({ mode: "curve", thresholds: Array.from({ length: 99 }, (_, index) => index + 1) }, 500)).toBe(100);
    expect(levelUnderRule({ mode: "game" }, 500)).toBeNull();
  });

  it("refuses curves that do not rise, too many thresholds, a floor above 0 and death below the floor", () => {
    for (const rules of [{ level: { mode: "curve", thresholds: [5, 5] } }, { level: { mode: "curve", thresholds: Array.from({ length: 100 }, (_, index) => index + 1) } }, { health: { floor: 1 } }]) {
      expect(gameRulesSchema.safeParse(rules).success, JSON.stringify(rules)).toBe(false);
    }
    expect(validateGameRules({ health: { floor: -10, deathAt: -11 } })).toHaveLength(1);
    expect(validateGameRules({ health: { floor: -10, deathAt: 0 } })).toEqual([]);
  });

  it("each ledger event is judged by the rules declared before it", () => {
    const defaults = resolveGameRules({}, -10);
    const healing = resolveGameRules({ health: { healDead: true } }, -10);
    const history = new GameRuleHistory(defaults, [{ fromEventId: 10, rules: healing }, { fromEventId: 20, rules: defaults }]);
    expect([1, 10, 11, 20, 21].map((eventId) => history.at(eventId).healDead)).toEqual([false, false, true, true, false]);
    expect(history.current).toBe(defaults);
  });
});
