import { z } from "zod";
import type { Prisma } from "../persistence/generated/client.ts";
import { MAX_AMOUNT, MAX_EXPERIENCE } from "../players/health-rules.ts";
import { STAT_VALUE_LIMIT, statKeySchema } from "../stats/stat-definition.ts";

/**
 * zod schemas for every persistence operation's input. The HTTP layer reuses them, so the API,
 * the CLI and direct callers refuse exactly the same things with the same messages.
 */
const noControlCharacters = (value: string) => !/[\u0000-\u001f\u007f]/.test(value);

export const playerIdSchema = z
  .string({ error: "player id must be a string" })
  .min(1, "player id must not be empty")
  .max(64, "player id is at most 64 characters");

export const amountSchema = z
  .number({ error: "amount must be a number" })
  .int("amount must be a whole number")
  .positive("amount must be greater than 0")
  .max(MAX_AMOUNT, `amount must be at most ${MAX_AMOUNT}`);

const shortLabel = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} is at most ${max} characters`)
    .refine(noControlCharacters, `${what} must not contain control characters`);

/** Zero-width and bidirectional-control characters: invisible, so two names that look alike could differ by them. */
const invisibleCharacters = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/u;

/**
 * Player names are NFC-normalised and may not contain invisible characters; uniqueness ignores case
 * (see playerNameKey), so "Ithaqua", "ithaqua" and "Ithaqua\u200b" cannot all exist.
 */
export const playerNameSchema = shortLabel("name", 64)
  .transform((name) => name.normalize("NFC"))
  .refine((name) => !invisibleCharacters.test(name), "name must not contain zero-width or bidirectional-control characters");

/** The key names are unique by: NFC, then lower case (the same for every locale). */
export function playerNameKey(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

export const damageOptionsSchema = z.strictObject({
  damageType: shortLabel("damageType", 50).optional(),
  source: shortLabel("source", 100).optional(),
});
export type DamageOptions = z.infer<typeof damageOptionsSchema>;

export const sourceOptionsSchema = z.strictObject({
  source: shortLabel("source", 100).optional(),
});
export type SourceOptions = z.infer<typeof sourceOptionsSchema>;

export const reasonSchema = shortLabel("reason", 500).refine((value) => value.length >= 3, "reason must be at least 3 characters");

export const healthCorrectionSchema = z.union(
  [
    z.strictObject({
      health: z.number({ error: "health must be a number" }).int("health must be a whole number").min(-MAX_AMOUNT).max(MAX_AMOUNT),
      reason: reasonSchema,
    }),
    z.strictObject({
      delta: z
        .number({ error: "delta must be a number" })
        .int("delta must be a whole number")
        .min(-MAX_AMOUNT, `delta must be at least -${MAX_AMOUNT}`)
        .max(MAX_AMOUNT, `delta must be at most ${MAX_AMOUNT}`)
        .refine((delta) => delta !== 0, "delta must not be 0"),
      reason: reasonSchema,
    }),
  ],
  { error: "give either { health, reason } or { delta, reason }" },
);
export type HealthCorrection = z.infer<typeof healthCorrectionSchema>;

// z.json() accepts exactly JSON; the casts give the results the types Prisma's Json columns take.
const attributesSchema = z
  .record(z.string().max(50), z.json())
  .refine((value) => Object.keys(value).length <= 100, "attributes has at most 100 keys") as unknown as z.ZodType<Prisma.InputJsonObject>;
const jsonListSchema = (what: string) =>
  z.array(z.json()).max(1_000, `${what} has at most 1000 items`) as unknown as z.ZodType<Prisma.InputJsonValue[]>;

export const defaultAttributes = {
  strength: 10,
  dexterity: 10,
  constitution: 10,
  intelligence: 10,
  wisdom: 10,
  charisma: 10,
  sanity: 100,
};

/** Declared stats in a save or a create: values are checked against the stats' bounds in the statement. */
const statValuesSchema = z
  .record(statKeySchema, z.number({ error: "a stat value must be a number" }).int("a stat value must be a whole number").min(-STAT_VALUE_LIMIT).max(STAT_VALUE_LIMIT))
  .refine((value) => Object.keys(value).length <= 64, "stats has at most 64 keys");

const optionalLabel = (what: string) => shortLabel(what, 100).nullable().optional();

/**
 * Marks a player as made by a test suite (the Playwright kit puts its run id here): such players can
 * be purged, ledger and all. Letters, digits and . _ - only, so it is safe in logs and filters.
 */
export const testTagSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, "testTag must be 1-64 letters, digits, dots, underscores or dashes");

export const createPlayerSchema = z
  .strictObject({
    name: playerNameSchema,
    maxHealth: z.number().int("maxHealth must be a whole number").min(1).max(MAX_AMOUNT).default(100),
    health: z.number().int("health must be a whole number").min(-MAX_AMOUNT).max(MAX_AMOUNT).optional(),
    experiencePoints: z.number().int("experiencePoints must be a whole number").min(0).max(MAX_EXPERIENCE).default(0),
    currentRoomId: optionalLabel("currentRoomId"),
    professionId: optionalLabel("professionId"),
    attributes: attributesSchema.default(defaultAttributes),
    inventory: jsonListSchema("inventory").default([]),
    statusEffects: jsonListSchema("statusEffects").default([]),
    stats: statValuesSchema.default({}),
    testTag: testTagSchema.optional(),
  })
  .refine((input) => input.health === undefined || input.health <= input.maxHealth, {
    message: "health must not exceed maxHealth",
    path: ["health"],
  });
export type CreatePlayerInput = z.input<typeof createPlayerSchema>;

/** The fields a whole-object save may write. Level is derived from XP; version is the lock. */
export const savePlayerSchema = z.strictObject({
  name: playerNameSchema,
  currentRoomId: optionalLabel("currentRoomId"),
  professionId: optionalLabel("professionId"),
  experiencePoints: z.number().int("experiencePoints must be a whole number").min(0).max(MAX_EXPERIENCE),
  health: z.number().int("health must be a whole number").min(-MAX_AMOUNT).max(MAX_AMOUNT),
  maxHealth: z.number().int("maxHealth must be a whole number").min(1).max(MAX_AMOUNT),
  attributes: attributesSchema,
  inventory: jsonListSchema("inventory"),
  statusEffects: jsonListSchema("statusEffects"),
  stats: statValuesSchema.optional(),
});
export type SavePlayerInput = z.infer<typeof savePlayerSchema>;

export const statChangeSchema = z.strictObject({
  stat: statKeySchema,
  op: z.enum(["add", "set"], { error: "op must be add or set" }),
  value: z.number({ error: "value must be a number" }).int("value must be a whole number").min(-STAT_VALUE_LIMIT).max(STAT_VALUE_LIMIT),
});

export const statUpdateSchema = z
  .strictObject({
    changes: z.array(statChangeSchema).min(1, "give at least one change").max(32, "at most 32 changes in one call"),
    reason: shortLabel("reason", 500).optional(),
    source: shortLabel("source", 100).optional(),
  })
  .refine((update) => new Set(update.changes.map((change) => change.stat)).size === update.changes.length, {
    message: "each stat may appear once per call",
    path: ["changes"],
  });
export type StatUpdate = z.input<typeof statUpdateSchema>;

export const expectedVersionSchema = z
  .number({ error: "expectedVersion must be a number" })
  .int("expectedVersion must be a whole number")
  .min(1, "expectedVersion must be at least 1");
