import { z } from "zod";
import { AppError } from "../errors/app-error.ts";
import { MAX_AMOUNT, MAX_EXPERIENCE } from "../players/health-rules.ts";
import { MAX_LEVEL } from "../players/level-curve.ts";

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
  /** Changes only by transfer, or by a stat change naming a declared source (increase) or sink (decrease). */
  conserved: boolean;
  /** Conserved stats: the `source` labels that may add to the total supply (loot)… */
  sources: string[];
  /** …and those that may take from it (shop, tax). */
  sinks: string[];
  builtin: boolean;
  position: number;
  /** The last ledger event when ledgering was turned back on: the stat's history restarts after it. */
  ledgeredFromEventId?: number | null;
  /**
   * What a stale whole save does when it and another write both changed this stat (see
   * lib/player-operations/merge-save.ts): `add` both deltas count, `reject` a 409 field conflict,
   * `last` the save's value wins. Absent: `add`.
   */
  merge?: StatMergeRule;
}

export const statMergeRules = ["add", "reject", "last"] as const;
export type StatMergeRule = (typeof statMergeRules)[number];

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
export const STAT_VALUE_LIMIT = 2_000_000_000;

/** The built-ins as declared; health's lower bound is the configured floor (HEALTH_FLOOR). */
export function builtinStatDefinitions(healthFloor: number): StatDefinition[] {
  return [
    { key: "health", label: "Health", min: healthFloor, max: null, maxStat: "maxHealth", default: 100, ledgered: true, conserved: false, sources: [], sinks: [], builtin: true, position: 0 },
    { key: "maxHealth", label: "Max health", min: 1, max: MAX_AMOUNT, maxStat: null, default: 100, ledgered: true, conserved: false, sources: [], sinks: [], builtin: true, position: 1 },
    { key: "experience", label: "Experience", min: 0, max: MAX_EXPERIENCE, maxStat: null, default: 0, ledgered: true, conserved: false, sources: [], sinks: [], builtin: true, position: 2 },
    { key: "level", label: "Level", min: 1, max: MAX_LEVEL, maxStat: null, default: 1, ledgered: true, conserved: false, sources: [], sinks: [], builtin: true, position: 3 },
  ];
}

const statValue = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(-STAT_VALUE_LIMIT, `${what} must be at least -${STAT_VALUE_LIMIT}`)
    .max(STAT_VALUE_LIMIT, `${what} must be at most ${STAT_VALUE_LIMIT}`);

/**
 * Names a stat key may not take, because another meaning already owns them where stats and other
 * fields meet:
 * - ledger fields and player columns: state-at, restore and revert put stats beside `name`, `room`,
 *   `profession` and `version` in one object, so a stat called `version` would be read as the
 *   player's version (and `name` as a stat);
 * - JavaScript's Object.prototype members (`constructor`, `toString`, …): a plain object already
 *   "has" them, so `state[key]` finds a function where no value was ever stored.
 * Compared case-sensitively, like the keys themselves (`Version` is a different key, but keys start
 * with a lower-case letter anyway).
 */
export const reservedStatKeys: ReadonlySet<string> = new Set([
  // ledger fields and what surrounds stats in a player's state
  "name",
  "room",
  "profession",
  "version",
  "status",
  "stats",
  "at",
  "id",
  "playerId",
  // Player columns
  "nameKey",
  "currentRoomId",
  "professionId",
  "experiencePoints",
  "attributes",
  "inventory",
  "statusEffects",
  "createdAt",
  "updatedAt",
  "lastActiveAt",
  // every member of Object.prototype (constructor, toString, valueOf, hasOwnProperty, __proto__, …)
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** Stat keys: a plain identifier (it is spliced into SQL JSON paths; see assertSafeKey) that no other meaning owns. */
/** A conserved stat's declared sources or sinks: the labels a stat change's `source` must name. */
const conservationLabels = (what: string) =>
  z
    .array(z.string().trim().min(1, `${what} entries must not be empty`).max(100, `${what} entries are at most 100 characters`))
    .max(16, `at most 16 ${what}`)
    .default([]);

export const statKeySchema = z
  .string({ error: "stat must be a string" })
  .regex(/^[a-z][A-Za-z0-9_]{0,31}$/, "a stat key starts with a lower-case letter and has at most 32 letters, digits or _")
  .refine((key) => !reservedStatKeys.has(key), { error: (issue) => `${String(issue.input)} is reserved (a ledger field, player column or JavaScript name); choose another key` });

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
    merge: z.enum(statMergeRules, { error: "merge must be add, reject or last" }).default("add"),
    conserved: z.boolean().default(false),
    sources: conservationLabels("sources"),
    sinks: conservationLabels("sinks"),
  })
  .refine((stat) => !stat.conserved || stat.ledgered, { message: "a conserved stat must be ledgered: conservation is proved from the ledger", path: ["conserved"] })
  .refine((stat) => (stat.max ?? null) === null || (stat.maxStat ?? null) === null, { message: "give max or maxStat, not both", path: ["max"] })
  .refine((stat) => (stat.max ?? null) !== null || (stat.maxStat ?? null) !== null, { message: "give an upper bound: max or maxStat", path: ["max"] })
  .refine((stat) => stat.max === null || stat.max === undefined || stat.max >= stat.min, { message: "max must be at least min", path: ["max"] })
  .refine((stat) => stat.default >= stat.min && (stat.max === null || stat.max === undefined || stat.default <= stat.max), {
    message: "default must lie within the bounds",
    path: ["default"],
  });
export type StatDeclaration = z.input<typeof statDeclarationSchema>;

/**
 * The most stats a game may declare (besides the built-ins), however they are declared (file, CLI,
 * API). Every query over all stats must take this many: state-at's field list is one compound
 * SELECT of declared + built-in + text fields (64 + 4 + 3 = 71 terms; SQLite stops at 500), and a
 * write's statement and the trigger's stat scan grow with it (at 2,000 keys a stat add cost 181 ms
 * against 6 ms).
 */
export const MAX_DECLARED_STATS = 64;

/** A stats file's list of declarations (the whole file: lib/stats/stats-file.ts). */
export const statDeclarationListSchema = z.array(statDeclarationSchema).max(MAX_DECLARED_STATS, `at most ${MAX_DECLARED_STATS} declared stats`);

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
    const loop = boundLoop(byKey, stat.key);
    if (loop) {
      problems.push({ path: `stats.${index}.maxStat`, message: `bounds of ${stat.key} form a loop (${loop.join(" → ")})` });
      return;
    }
    // An empty range: the bound can never rise to the minimum, so no value is ever valid.
    const ceiling = highestBound(byKey, stat.maxStat);
    if (ceiling !== null && stat.min > ceiling) {
      problems.push({ path: `stats.${index}.min`, message: `${stat.key} can never lie between ${stat.min} and ${stat.maxStat} (at most ${ceiling})` });
    }
  });
  return problems;
}

/**
 * Follows `start`'s bound chain (maxStat → maxStat → …). Returns the chain when it comes back to a
 * stat already on it (a loop can never be satisfied, and a compiler following it would never end),
 * or null when it ends at a numeric bound or an unknown stat.
 */
export function boundLoop(byKey: ReadonlyMap<string, { maxStat?: string | null }>, start: string): string[] | null {
  const chain = [start];
  for (let next = byKey.get(start)?.maxStat; next; next = byKey.get(next)?.maxStat) {
    chain.push(next);
    if (chain.indexOf(next) < chain.length - 1) return chain;
  }
  return null;
}

/**
 * The highest value `key` can ever hold: its numeric max, or the highest of the stat bounding it
 * (maxHealth: its built-in max). Null for an unknown stat. The chain must be free of loops.
 */
function highestBound(byKey: ReadonlyMap<string, { max?: number | null; maxStat?: string | null }>, key: string): number | null {
  const builtin = builtinStatDefinitions(0).find((stat) => stat.key === key);
  const stat = builtin ?? byKey.get(key);
  if (!stat) return null;
  if (stat.max !== null && stat.max !== undefined) return stat.max;
  return stat.maxStat ? highestBound(byKey, stat.maxStat) : null;
}

/**
 * A new player's declared stats: each given value, or its default, within its bounds — an upper
 * bound that is another stat (maxHealth included) taken at that stat's own starting value, resolved
 * in bound order whatever the declaration order. A given value outside its bounds is an issue; a
 * default outside them is clamped (a default of 50 under a maxHealth of 30 starts at 30).
 */
export function initialStatValues(
  definitions: ReadonlyMap<string, StatDefinition>,
  given: Readonly<Record<string, number>>,
  builtins: Readonly<Record<string, number>>,
): { values: Record<string, number>; issues: Array<{ path: string; message: string }> } {
  const values: Record<string, number> = {};
  const issues: Array<{ path: string; message: string }> = [];
  const resolve = (key: string): number => {
    if (isBuiltinStat(key)) return builtins[key] ?? definitions.get(key)?.default ?? 0;
    if (key in values) return values[key]!;
    const definition = definitions.get(key)!;
    if (definition.maxStat !== null && boundLoop(definitions, key)) {
      throw new AppError("stat_bounds_loop", `The declared stat bounds form a loop (${boundLoop(definitions, key)!.join(" → ")})`);
    }
    const max = definition.maxStat !== null ? resolve(definition.maxStat) : definition.max!;
    const value = given[key] ?? definition.default;
    if (key in given && (value < definition.min || value > max)) {
      issues.push({ path: `stats.${key}`, message: `must be between ${definition.min} and ${max}` });
    }
    // Clamped either way, so stats bounded by this one resolve against a value it can hold.
    values[key] = Math.min(Math.max(value, definition.min), Math.max(max, definition.min));
    return values[key]!;
  };
  for (const definition of definitions.values()) if (!definition.builtin) resolve(definition.key);
  return { values, issues };
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
