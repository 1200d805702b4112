import type { GameRules } from "../stats/game-rules.ts";
import { isDeepStrictEqual } from "node:util";
import type { PlayerStateAt } from "../history/player-state-at.ts";
import type { Player } from "../persistence/player-record.ts";
import type { PlayerFieldValues, StatOperation } from "../persistence/player-update.ts";
import type { StatDefinition, StatMergeRule } from "../stats/stat-definition.ts";
import { storedStatValue } from "../stats/stat-definition.ts";
import { statusForHealth } from "../players/health-rules.ts";
import { playerNameKey } from "./player-inputs.ts";
import type { SavePlayerInput } from "./player-inputs.ts";

/*
 * The three-way merge of a stale whole save (issue 21): base = the player at the version the save
 * read (from the ledger), mine = the saved body, theirs = the current row. Pure: it decides, the
 * caller writes the result as ONE statement with the current version as expectedVersion, so a
 * write landing in between makes it stale again and the merge is recomputed against the new row.
 *
 *   changed only in mine    → applied: numeric stats as the delta mine − base (re-clamped by the
 *                             statement), text and JSON fields set;
 *   changed only in theirs  → kept;
 *   changed on both sides   → the field's merge rule: `add` both deltas count, `last` the save
 *                             wins, `reject` a field conflict (409). Both sides arriving at the
 *                             same value is no conflict, except for `add`, where both deltas count.
 *
 * Rules per field: numeric stats follow their declaration (`merge`, default `add`); the name is
 * `reject` (two renames must not silently pick one); room and profession are `last` (where the game
 * last put the player); the JSON columns (attributes, inventory, statusEffects) are `reject`: they
 * are replaced whole, so neither side's change could be combined without knowing the game's meaning.
 */

export type MergeFieldRule = StatMergeRule;

/** Text rules, chosen once here (see above); numeric stats take theirs from the declaration. */
export const textFieldRules = { name: "reject", currentRoomId: "last", professionId: "last" } as const satisfies Record<string, MergeFieldRule>;
export const jsonFieldRules = { attributes: "reject", inventory: "reject", statusEffects: "reject" } as const satisfies Record<string, MergeFieldRule>;

export interface MergeSummary {
  baseVersion: number;
  fromSave: string[];
  keptFromOthers: string[];
  combined: string[];
}

export interface FieldConflict {
  /** The field as the body names it: health, experiencePoints, stats.gold, name, currentRoomId, inventory… */
  field: string;
  /** The ledger's name for it (experience, room, gold…), to find the events that changed it. */
  ledgerField: string;
  base: unknown;
  yours: unknown;
  theirs: unknown;
  /** Why it conflicts beyond the rule, e.g. a heal that would raise the dead. */
  note?: string;
}

export interface MergePlan {
  operations: StatOperation[];
  fields: PlayerFieldValues;
  summary: MergeSummary;
  conflicts: FieldConflict[];
}

/** The state the save read, rebuilt from the ledger (its JSON columns too, since 20261204130001_ledger_json_fields). */
export type MergeBase = PlayerStateAt;

/** The body's name of a stat and the ledger's. */
function statFieldName(stat: string): string {
  if (stat === "experience") return "experiencePoints";
  if (stat === "health" || stat === "maxHealth") return stat;
  return `stats.${stat}`;
}

const textLedgerName = { name: "name", currentRoomId: "room", professionId: "profession" } as const;

/** JSON values compare by content: PostgreSQL's jsonb reorders object keys. */
function sameValue(left: unknown, right: unknown): boolean {
  return isDeepStrictEqual(canonical(left), canonical(right));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, item]) => [key, canonical(item)]));
  }
  return value ?? null;
}

type Decision = "unchanged" | "fromSave" | "keptFromOthers" | "combined" | "conflict";

/**
 * `strict` (Prefer: merge=none) merges nothing: every field another write changed, and the save
 * would overwrite with a different value, is a conflict — that is what the plain write would undo.
 */
function decide(rule: MergeFieldRule, numeric: boolean, base: unknown, mine: unknown, theirs: unknown, strict: boolean): Decision {
  const mineChanged = !sameValue(mine, base);
  const theirsChanged = !sameValue(theirs, base);
  if (strict) return theirsChanged && !sameValue(mine, theirs) ? "conflict" : "unchanged";
  if (!mineChanged) return theirsChanged ? "keptFromOthers" : "unchanged";
  if (!theirsChanged) return "fromSave";
  if (rule === "add" && numeric) return "combined";
  if (sameValue(mine, theirs)) return "keptFromOthers";
  if (rule === "last") return "fromSave";
  return "conflict";
}

/** Plans the merged write of `mine` (a save made at `base.version`) over `theirs` (the current row). */
export function planMerge(input: SavePlayerInput, base: MergeBase, theirs: Player, stats: Map<string, StatDefinition>, rules: Pick<GameRules, "deathAt" | "healDead">, strict = false): MergePlan {
  const summary: MergeSummary = { baseVersion: base.version, fromSave: [], keptFromOthers: [], combined: [] };
  const conflicts: FieldConflict[] = [];
  const operations: StatOperation[] = [];
  const note = (decision: Decision, field: string) => {
    if (decision === "fromSave") summary.fromSave.push(field);
    else if (decision === "keptFromOthers") summary.keptFromOthers.push(field);
    else if (decision === "combined") summary.combined.push(field);
  };

  const numericMine: Array<[string, number]> = [
    ["maxHealth", input.maxHealth],
    ["health", input.health],
    ["experience", input.experiencePoints],
    ...Object.entries(input.stats ?? {}),
  ];
  for (const [stat, mine] of numericMine) {
    const definition = stats.get(stat)!;
    const baseValue = base.stats[stat] ?? definition.default;
    const theirValue = storedStatValue(theirs, definition);
    const rule = definition.merge ?? "add";
    const field = statFieldName(stat);
    const decision = decide(rule, true, baseValue, mine, theirValue, strict);
    // The dead are only respawned: a stale copy's heal must not raise a player who died meanwhile.
    if (stat === "health" && mine > baseValue && (decision === "fromSave" || decision === "combined") && !rules.healDead && statusForHealth(theirs.health, rules.deathAt) === "dead") {
      conflicts.push({ field, ledgerField: stat, base: baseValue, yours: mine, theirs: theirValue, note: "the player died since your version; a save cannot heal the dead" });
      continue;
    }
    if (decision === "conflict") {
      conflicts.push({ field, ledgerField: stat, base: baseValue, yours: mine, theirs: theirValue });
      continue;
    }
    if (decision === "fromSave" && rule === "last" && !sameValue(theirValue, baseValue)) {
      operations.push({ stat, op: "set", value: mine, record: false });
    } else if (decision === "fromSave" || decision === "combined") {
      operations.push({ stat, op: "add", value: mine - baseValue, record: false });
    }
    note(decision, field);
  }

  const text = {
    name: pick("name", textFieldRules.name, base.name, input.name, theirs.name),
    currentRoomId: pick("currentRoomId", textFieldRules.currentRoomId, base.room, input.currentRoomId ?? null, theirs.currentRoomId),
    professionId: pick("professionId", textFieldRules.professionId, base.profession, input.professionId ?? null, theirs.professionId),
  };
  const json = {
    attributes: pick("attributes", jsonFieldRules.attributes, base.json.attributes, input.attributes, theirs.attributes),
    inventory: pick("inventory", jsonFieldRules.inventory, base.json.inventory, input.inventory, theirs.inventory),
    statusEffects: pick("statusEffects", jsonFieldRules.statusEffects, base.json.statusEffects, input.statusEffects, theirs.statusEffects),
  };

  function pick<T>(field: string, rule: MergeFieldRule, baseValue: unknown, mine: T, theirValue: unknown): T {
    const decision = decide(rule, false, baseValue, mine, theirValue, strict);
    if (decision === "conflict") {
      conflicts.push({
        field,
        ledgerField: field in textLedgerName ? textLedgerName[field as keyof typeof textLedgerName] : field,
        base: baseValue ?? null,
        yours: mine,
        theirs: theirValue,
      });
      return theirValue as T;
    }
    note(decision, field);
    return decision === "fromSave" ? mine : (theirValue as T);
  }

  return {
    operations,
    fields: {
      name: text.name,
      nameKey: playerNameKey(text.name),
      currentRoomId: text.currentRoomId,
      professionId: text.professionId,
      attributes: json.attributes as object,
      inventory: json.inventory as unknown[],
      statusEffects: json.statusEffects as unknown[],
    },
    summary,
    conflicts,
  };
}
