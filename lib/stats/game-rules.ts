import { z } from "zod";
import { MAX_LEVEL, levelForExperience } from "../players/level-curve.ts";
import { STAT_VALUE_LIMIT } from "./stat-definition.ts";

/*
 * The game's own rules, declared by the operator beside the stats (`stats apply`, PUT
 * /api/v1/rules): how level follows from experience, where health stops and when a player is dead,
 * and whether the dead may be healed. The write statement (lib/persistence/player-update.ts), the
 * status shown everywhere and the integrity check all read them from here. Undeclared, they are
 * today's: level floor(sqrt(xp/100)) + 1, health floor and death at HEALTH_FLOOR (−10), the dead
 * are only respawned.
 */

/** How level follows from experience. */
export const levelRuleSchema = z.discriminatedUnion("mode", [
  /** floor(sqrt(xp / 100)) + 1, capped at MAX_LEVEL (level 2 at 100 XP, 3 at 400, 4 at 900 …). */
  z.strictObject({ mode: z.literal("formula") }),
  /** An XP threshold table: `thresholds[i]` is the experience that reaches level i + 2. */
  z.strictObject({
    mode: z.literal("curve"),
    thresholds: z
      .array(z.number().int("a threshold is a whole number").min(1, "a threshold is at least 1 XP").max(STAT_VALUE_LIMIT), { error: "thresholds must be a list of XP values" })
      .min(1, "give at least one threshold (the XP for level 2)")
      .max(MAX_LEVEL - 1, `at most ${MAX_LEVEL - 1} thresholds (levels go up to ${MAX_LEVEL})`)
      .refine((list) => list.every((value, index) => index === 0 || value > list[index - 1]!), { message: "thresholds must rise strictly" }),
  }),
  /** A plain stat the game writes (1 … MAX_LEVEL); experience no longer moves it. */
  z.strictObject({ mode: z.literal("game") }),
]);
export type LevelRule = z.infer<typeof levelRuleSchema>;

const healthValue = z.number().int("a whole number").min(-STAT_VALUE_LIMIT).max(0, "at most 0");

/** The rules as an operator writes them; what is left out keeps its default. */
export const gameRulesSchema = z.strictObject({
  level: levelRuleSchema.optional(),
  health: z
    .strictObject({
      /** The lowest health (damage stops there); null: no floor. */
      floor: healthValue.nullable().optional(),
      /** Health at or below this is dead; null: nobody is dead by health. Defaults to the floor. */
      deathAt: healthValue.nullable().optional(),
      /** Whether heals (regeneration) may raise a dead player's health; otherwise only a respawn does. */
      healDead: z.boolean().optional(),
    })
    .optional(),
});
export type GameRulesDeclaration = z.infer<typeof gameRulesSchema>;

/** The rules in force, resolved to numbers the statement and the checks compare with. */
export interface GameRules {
  level: LevelRule;
  /** The lowest health; −STAT_VALUE_LIMIT when the game has no floor. */
  healthFloor: number;
  /** Health ≤ deathAt is dead; NEVER_DEAD (below any storable health) when nobody is dead by health. */
  deathAt: number;
  healDead: boolean;
}

/** A death threshold no storable health reaches (health ≥ −STAT_VALUE_LIMIT). */
export const NEVER_DEAD = -STAT_VALUE_LIMIT - 1;

/** The rules a declaration puts in force; `configuredFloor` is HEALTH_FLOOR (today's floor and death threshold). */
export function resolveGameRules(declared: GameRulesDeclaration, configuredFloor: number): GameRules {
  const floor = declared.health?.floor === undefined ? configuredFloor : declared.health.floor;
  const deathAt = declared.health?.deathAt === undefined ? floor : declared.health.deathAt;
  return {
    level: declared.level ?? { mode: "formula" },
    healthFloor: floor ?? -STAT_VALUE_LIMIT,
    deathAt: deathAt ?? NEVER_DEAD,
    healDead: declared.health?.healDead ?? false,
  };
}

/** Problems with a declaration as a whole (the schema checks each field). */
export function validateGameRules(declared: GameRulesDeclaration): Array<{ path: string; message: string }> {
  const floor = declared.health?.floor;
  const deathAt = declared.health?.deathAt;
  if (typeof floor === "number" && typeof deathAt === "number" && deathAt < floor) {
    return [{ path: "health.deathAt", message: `the death threshold (${deathAt}) is below the floor (${floor}): nobody could ever die` }];
  }
  return [];
}

/** Level for an amount of experience under a derived rule; null when the game owns the level. */
export function levelUnderRule(rule: LevelRule, experience: number): number | null {
  switch (rule.mode) {
    case "formula":
      return levelForExperience(experience);
    case "curve":
      return Math.min(MAX_LEVEL, 1 + rule.thresholds.filter((threshold) => threshold <= experience).length);
    case "game":
      return null;
  }
}

/** The rules in force at each point of the ledger: a rule set applies to events after its `fromEventId`. */
export class GameRuleHistory {
  /** Ascending by fromEventId; the defaults first (fromEventId −1). */
  private readonly sets: Array<{ fromEventId: number; rules: GameRules }>;

  constructor(defaults: GameRules, declared: Array<{ fromEventId: number; rules: GameRules }>) {
    this.sets = [{ fromEventId: -1, rules: defaults }, ...declared];
  }

  /** The rules in force now. */
  get current(): GameRules {
    return this.sets[this.sets.length - 1]!.rules;
  }

  /** The rules that applied when ledger event `eventId` was written. */
  at(eventId: number): GameRules {
    for (let index = this.sets.length - 1; index > 0; index -= 1) if (eventId > this.sets[index]!.fromEventId) return this.sets[index]!.rules;
    return this.sets[0]!.rules;
  }
}
