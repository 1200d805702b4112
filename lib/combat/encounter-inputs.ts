import { z } from "zod";
import { MAX_AMOUNT } from "../players/health-rules.ts";
import { playerIdSchema, playerNameSchema } from "../player-operations/player-inputs.ts";
import { npcPresetKeys } from "./npc-presets.ts";

/*
 * zod schemas for the combat simulator's inputs. The HTTP layer reuses them (lib/api/api-schemas.ts),
 * so the API and direct callers refuse the same things with the same messages.
 */

/** Rounds are counted per encounter; an encounter that reaches this many ends ("round_limit"). */
export const MAX_ROUNDS_PER_ENCOUNTER = 1_000;
/** One advance call plays at most this many rounds. */
export const MAX_ROUNDS_PER_ADVANCE = 100;

export const encounterModes = ["deterministic", "live"] as const;
export type EncounterMode = (typeof encounterModes)[number];

export const encounterIdSchema = z
  .string({ error: "encounter id must be a string" })
  .min(1, "encounter id must not be empty")
  .max(64, "encounter id is at most 64 characters");

const wholeNumber = (what: string, min: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`)
    .max(MAX_AMOUNT, `${what} must be at most ${MAX_AMOUNT}`);

export const customNpcSchema = z.strictObject({
  name: playerNameSchema,
  health: wholeNumber("health", 1),
  attackDamage: wholeNumber("attackDamage", 1),
  experienceReward: wholeNumber("experienceReward", 0),
});

/**
 * The player's weapon: each strike deals a whole number in [min, max] drawn from the encounter's
 * seeded RNG. The default 13–16 makes the seed scenario independent of the seed: three strikes
 * deal at most 48 (< 50, Dr. Francis Morgan still stands), four deal at least 52 (he falls).
 */
export const playerDamageSchema = z
  .strictObject({ min: wholeNumber("playerDamage.min", 1), max: wholeNumber("playerDamage.max", 1) })
  .refine((range) => range.min <= range.max, { message: "playerDamage.min must not exceed playerDamage.max", path: ["max"] });
export const defaultPlayerDamage = { min: 13, max: 16 };

export const createEncounterSchema = z
  .strictObject({
    playerId: playerIdSchema,
    /** A preset key (GET /api/v1/combat/npcs); or give customNpc instead. */
    npc: z.enum(npcPresetKeys, { error: (issue) => `unknown NPC preset ${JSON.stringify(issue.input)}; known presets: ${npcPresetKeys.join(", ")}` }).optional(),
    customNpc: customNpcSchema.optional(),
    mode: z.enum(encounterModes, { error: `mode must be one of: ${encounterModes.join(", ")}` }).default("deterministic"),
    /** RNG seed (unsigned 32-bit). Deterministic mode defaults to 1; live mode picks one at random. */
    seed: z.number({ error: "seed must be a number" }).int("seed must be a whole number").min(0, "seed must be at least 0").max(4_294_967_295, "seed must be at most 4294967295").optional(),
    /** Live mode only: time between rounds (default COMBAT_ROUND_INTERVAL_MS, 6 s). */
    roundIntervalMs: z
      .number({ error: "roundIntervalMs must be a number" })
      .int("roundIntervalMs must be a whole number")
      .min(20, "roundIntervalMs must be at least 20")
      .max(600_000, "roundIntervalMs must be at most 600000")
      .optional(),
    playerDamage: playerDamageSchema.default(defaultPlayerDamage),
  })
  .refine((input) => (input.npc === undefined) !== (input.customNpc === undefined), {
    message: "give either npc (a preset key) or customNpc (name, health, attackDamage, experienceReward), not both or neither",
    path: ["npc"],
  })
  .refine((input) => input.roundIntervalMs === undefined || input.mode === "live", {
    message: "roundIntervalMs applies to live mode only",
    path: ["roundIntervalMs"],
  });
export type CreateEncounterInput = z.input<typeof createEncounterSchema>;

export const roundCountSchema = z
  .number({ error: "rounds must be a number" })
  .int("rounds must be a whole number")
  .min(1, "rounds must be at least 1")
  .max(MAX_ROUNDS_PER_ADVANCE, `rounds must be at most ${MAX_ROUNDS_PER_ADVANCE}`);
