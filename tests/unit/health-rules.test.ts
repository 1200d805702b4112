import { describe, expect, it } from "vitest";
import { statusForHealth } from "../../lib/players/health-rules.ts";
import { experienceForLevel, levelForExperience, MAX_LEVEL } from "../../lib/players/level-curve.ts";

describe("health rules", () => {
  it.each([
    [100, "alive"],
    [1, "alive"],
    [0, "mortally_wounded"],
    [-9, "mortally_wounded"],
    [-10, "dead"],
    [-11, "dead"],
  ] as const)("health %i with floor −10 is %s", (health, status) => {
    expect(statusForHealth(health, -10)).toBe(status);
  });

  it("follows a configured floor", () => {
    expect(statusForHealth(-10, -20)).toBe("mortally_wounded");
    expect(statusForHealth(-20, -20)).toBe("dead");
  });
});

describe("level curve", () => {
  it("maps XP to levels at the documented thresholds", () => {
    expect([0, 99, 100, 399, 400, 554, 555, 899, 900].map(levelForExperience)).toEqual([1, 1, 2, 2, 3, 3, 3, 3, 4]);
  });

  it("is the inverse of experienceForLevel and capped", () => {
    for (let level = 1; level <= MAX_LEVEL; level += 1) expect(levelForExperience(experienceForLevel(level))).toBe(level);
    expect(levelForExperience(2_000_000_000)).toBe(MAX_LEVEL);
  });
});

describe("health ranges per status (what database counts and filters use)", () => {
  it.each([-10, -20, 0])("agree with statusForHealth for every health from −300 to 300 (floor %i)", async (floor) => {
    const { healthRangeForStatus, playerStatuses } = await import("../../lib/players/health-rules.ts");
    const inRange = (health: number, range: { gt?: number; lte?: number }) => (range.gt === undefined || health > range.gt) && (range.lte === undefined || health <= range.lte);
    for (let health = -300; health <= 300; health += 1) {
      const matching = playerStatuses.filter((status) => inRange(health, healthRangeForStatus(status, floor)));
      expect(matching).toEqual([statusForHealth(health, floor)]);
    }
  });
});
