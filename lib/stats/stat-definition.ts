import { z } from "zod";
import { MAX_AMOUNT, MAX_EXPERIENCE } from "../players/health-rules.ts";
import { MAX_LEVEL } from "../players/level-curve.ts";
import { SQL_HALF_INTEGER_MAX } from "../validation/sql-integer.ts";

/**
 * A stat the game keeps. Health, maxHealth, experience and level are built in (columns of Player,
 * with their own rules: the health floor and death, level derived from experience); everything
 * else is declared by the operator and lives in Player.stats. Every stat has bounds; the upper one
 * may be another stat (health ≤ maxHealth, lucidity ≤ maxLucidity).
 */
export interface StatDefinition {
  key: string;
  label: string;
  min: number;
  /** Upper bound as a number (null when maxStat names the bound). */
  max: number | null;
  /** Upper bound as another stat's current value. */
  maxStat: string | null;
  default: number;
  /** Whether changes get ledger rows (built-ins always do). */
  ledgered: boolean;
  builtin: boolean;
  position: number;
}

export const builtinStatKeys = ["health", "maxHealth", "experience", "level"] as const;
export type BuiltinStatKey = (typeof builtinStatKeys)[number];

export function isBuiltinStat(key: string): key is BuiltinStatKey {
  return (builtinStatKeys as readonly string[]).includes(key);
}

/** Player columns of the built-ins (the ledger says "experience" for the experiencePoints column). */
export const builtinStatColumn: Record<BuiltinStatKey, "health" | "maxHealth" | "experiencePoints" | "level"> = {
  health: "health",
  maxHealth: "maxHealth",
  experience: "experiencePoints",
  level: "level",
};

/** Where a player row keeps its stats: the built-ins in columns, the declared ones in `stats`. */
export interface StatHolder {
  health: number;
  maxHealth: number;
  experiencePoints: number;
  level: number;
  stats?: Record<string, number>;
}

/** A stat's stored value: a built-in from its column, a declared stat from `stats`, or its default when never set. */
export function storedStatValue(player: StatHolder, definition: Pick<StatDefinition, "key" | "default">): number {
  if (isBuiltinStat(definition.key)) return player[builtinStatColumn[definition.key]];
  return player.stats?.[definition.key] ?? definition.default;
}

/** Stat values are whole numbers that fit every database's 32-bit integer. */
/** See lib/validation/sql-integer.ts: sums and deltas of two allowed values fit PostgreSQL's integer. */
export const STAT_VALUE_LIMIT = SQL_HALF_INTEGER_MAX;

/** The built-ins as declared; health's lower bound is the configured floor (HEALTH_FLOOR). */
export function builtinStatDefinitions(healthFloor: number): StatDefinition[] {
  return [
    { key: "health", label: "Health", min: healthFloor, max: null, maxStat: "maxHealth", default: 100, ledgered: true, builtin: true, position: 0 },
    { key: "maxHealth", label: "Max health", min: 1, max: MAX_AMOUNT, maxStat: null, default: 100, ledgered: true, builtin: true, position: 1 },
    { key: "experience", label: "Experience", min: 0, max: MAX_EXPERIENCE, maxStat: null, default: 0, ledgered: true, builtin: true, position: 2 },
    { key: "level", label: "Level", min: 1, max: MAX_LEVEL, maxStat: null, default: 1, ledgered: true, builtin: true, position: 3 },
  ];
}

const statValue = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(-STAT_VALUE_LIMIT, `${what} must be at least -${STAT_VALUE_LIMIT}`)
    .max(STAT_VALUE_LIMIT, `${what} must be at most ${STAT_VALUE_LIMIT}`);

export const statKeySchema = z
  .string({ error: "stat must be a string" })
  .regex(/^[a-z][A-Za-z0-9_]{0,31}$/, "a stat key starts with a lower-case letter and has at most 32 letters, digits or _");

/** One declaration as an operator writes it (config file, CLI or admin API). */
export const statDeclarationSchema = z
  .strictObject({
    key: statKeySchema,
    label: z.string().trim().min(1, "label must not be empty").max(64, "label is at most 64 characters"),
    min: statValue("min").default(0),
    max: statValue("max").nullable().optional(),
    maxStat: statKeySchema.nullable().optional(),
    default: statValue("default").default(0),
    ledgered: z.boolean().default(true),
  })
  .refine((stat) => (stat.max ?? null) === null || (stat.maxStat ?? null) === null, { message: "give max or maxStat, not both", path: ["max"] })
  .refine((stat) => (stat.max ?? null) !== null || (stat.maxStat ?? null) !== null, { message: "give an upper bound: max or maxStat", path: ["max"] })
  .refine((stat) => stat.max === null || stat.max === undefined || stat.max >= stat.min, { message: "max must be at least min", path: ["max"] })
  .refine((stat) => stat.default >= stat.min && (stat.max === null || stat.max === undefined || stat.default <= stat.max), {
    message: "default must lie within the bounds",
    path: ["default"],
  });
export type StatDeclaration = z.input<typeof statDeclarationSchema>;

/** A whole stats file: `{ "stats": [ … ] }`. */
export const statsFileSchema = z.strictObject({
  stats: z.array(statDeclarationSchema).max(64, "at most 64 declared stats"),
});

/**
 * Checks a set of declarations together with the built-ins: keys unique and not built-in, every
 * maxStat names a declared stat, and no bound chain loops. Returns the problems (empty = valid).
 */
export function validateStatSet(declared: Array<z.infer<typeof statDeclarationSchema>>): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const keys = new Set<string>(builtinStatKeys);
  declared.forEach((stat, index) => {
    if (isBuiltinStat(stat.key)) problems.push({ path: `stats.${index}.key`, message: `${stat.key} is built in; it cannot be redeclared` });
    else if (keys.has(stat.key)) problems.push({ path: `stats.${index}.key`, message: `${stat.key} is declared twice` });
    keys.add(stat.key);
  });
  const byKey = new Map(declared.map((stat) => [stat.key, stat]));
  declared.forEach((stat, index) => {
    if (!stat.maxStat) return;
    if (!keys.has(stat.maxStat)) problems.push({ path: `stats.${index}.maxStat`, message: `${stat.maxStat} is not a declared stat` });
    else if (isBuiltinStat(stat.maxStat) && stat.maxStat !== "maxHealth")
      problems.push({ path: `stats.${index}.maxStat`, message: `only maxHealth among the built-ins can bound another stat` });
    // Follow the chain: a stat bounded (transitively) by itself can never be satisfied.
    const seen = new Set<string>([stat.key]);
    for (let next: string | null | undefined = stat.maxStat; next; next = byKey.get(next)?.maxStat) {
      if (seen.has(next)) {
        problems.push({ path: `stats.${index}.maxStat`, message: `bounds of ${stat.key} form a loop` });
        break;
      }
      seen.add(next);
    }
  });
  return problems;
}

/** The demo game's stats (MythosMUD-like); `npm run seed` declares them. */
export const demoStatDeclarations: StatDeclaration[] = [
  { key: "lucidity", label: "Lucidity", min: 0, maxStat: "maxLucidity", default: 100 },
  { key: "maxLucidity", label: "Max lucidity", min: 1, max: 1_000, default: 100 },
  { key: "mana", label: "Mana", min: 0, maxStat: "maxMana", default: 50 },
  { key: "maxMana", label: "Max mana", min: 0, max: 10_000, default: 50 },
  { key: "gold", label: "Gold", min: 0, max: 1_000_000_000, default: 0 },
  { key: "strength", label: "Strength", min: 1, max: 100, default: 10 },
  { key: "dexterity", label: "Dexterity", min: 1, max: 100, default: 10 },
  { key: "constitution", label: "Constitution", min: 1, max: 100, default: 10 },
  { key: "intelligence", label: "Intelligence", min: 1, max: 100, default: 10 },
  { key: "wisdom", label: "Wisdom", min: 1, max: 100, default: 10 },
  { key: "charisma", label: "Charisma", min: 1, max: 100, default: 10 },
];
