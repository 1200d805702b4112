import type { StatDefinition } from "../stats/stat-definition.ts";
import { isBuiltinStat, storedStatValue } from "../stats/stat-definition.ts";
import { GameRuleHistory, resolveGameRules } from "../stats/game-rules.ts";
import { jsonLedgerFields, textLedgerFields } from "../persistence/player-record.ts";
import { GENESIS, verifyChain } from "../ledger/chain.ts";
import type { ChainAlgorithm, ChainRow } from "../ledger/chain.ts";

/**
 * The integrity rules, as a pure function over one player's stored row and the ledger rows written
 * since its last verified checkpoint (tested in tests/unit/find-anomalies.test.ts). The scan
 * (run-integrity-check.ts) feeds it from the database.
 */
export const anomalyKinds = [
  "ledger_mismatch",
  "health_out_of_range",
  "stat_out_of_range",
  "health_rose_after_death",
  "xp_change_touched_health",
  "external_change",
  "ledger_tampered",
  /** A conserved stat changed other than by a balanced transfer or a declared source/sink (check-conservation.ts). */
  "conservation",
] as const;
export type AnomalyKind = (typeof anomalyKinds)[number];

export interface Anomaly {
  kind: AnomalyKind;
  severity: "error" | "warning";
  playerId: string;
  playerName: string;
  message: string;
  eventIds: number[];
  /** The values the rule detected (shape per kind; see each rule below), for the page and for tooling. */
  detail: AnomalyDetail;
}

export type AnomalyDetail = Record<string, string | number | null>;

export interface StoredPlayer {
  id: string;
  name: string;
  health: number;
  maxHealth: number;
  experiencePoints: number;
  level: number;
  version: number;
  /** Declared stats as stored (missing keys have the stat's default). */
  stats?: Record<string, number>;
}

export interface LedgerRow {
  id: number;
  field: string;
  before: number;
  after: number;
  reason: string;
  changeId: string;
  /** The player's version after the change; defaults to "unknown" in old unit fixtures. */
  playerVersion?: number;
}

/** What the last clean check verified: replay from here, not from the beginning. */
export interface Checkpoint {
  lastEventId: number;
  version: number;
  /** Replayed value per numeric field. */
  state: Record<string, number>;
  /** The hash chain's head after lastEventId's write (absent: the chain is verified from the start). */
  chainHead?: string;
}

export interface PlayerVerdict {
  anomalies: Anomaly[];
  /** The checkpoint this player reaches if the verdict has no errors. */
  next: Checkpoint;
}

/** Fields whose rows carry text (name, room, profession) or only explain a version. */
const nonNumericFields = new Set<string>([...textLedgerFields, ...jsonLedgerFields, "version"]);

export function storedValue(player: StoredPlayer, field: string, stats: Map<string, StatDefinition>): number | undefined {
  const definition = isBuiltinStat(field) ? { key: field, default: 0 } : stats.get(field);
  return definition ? storedStatValue(player, definition) : undefined;
}

/**
 * Checks one player. `ledger` must hold exactly the rows after `checkpoint.lastEventId` whose
 * playerVersion is at most `player.version` — the rows the stored row can already reflect, so a
 * write that commits during the check can never look like a mismatch.
 */
export function checkPlayer(
  player: StoredPlayer,
  ledger: LedgerRow[],
  /** The game's rules per ledger event (a number: today's defaults with that floor and death threshold). */
  rules: number | GameRuleHistory,
  stats: Map<string, StatDefinition> = new Map(),
  checkpoint: Checkpoint = { lastEventId: 0, version: 1, state: {} },
  /** Verify the hash chain too: `ledger` must then be the rows as hashed (lib/ledger/chain-rows.ts). */
  chainAlgorithm?: ChainAlgorithm,
): PlayerVerdict {
  const anomalies: Anomaly[] = [];
  const add = (kind: AnomalyKind, severity: Anomaly["severity"], message: string, detail: AnomalyDetail, eventIds: number[] = []) =>
    anomalies.push({ kind, severity, playerId: player.id, playerName: player.name, message, eventIds, detail });
  const rows = [...ledger].sort((a, b) => a.id - b.id);
  const history = typeof rules === "number" ? new GameRuleHistory(resolveGameRules({}, rules), []) : rules;
  const floor = history.current.healthFloor;

  // 1. Stored state ≠ ledger replay: each field's chain must be unbroken and end at the stored value.
  const state: Record<string, number> = { ...checkpoint.state };
  // A stat's history counts only while it is ledgered: not at all while ledgering is off, and
  // from where it was turned back on (its unledgered changes left a gap, not a broken chain).
  const unreplayed = (field: string, eventId: number) => {
    const definition = stats.get(field);
    return definition !== undefined && (!definition.ledgered || eventId <= (definition.ledgeredFromEventId ?? 0));
  };
  for (const field of Object.keys(state)) if (unreplayed(field, checkpoint.lastEventId)) delete state[field];
  const lastRow: Record<string, LedgerRow> = {};
  for (const row of rows) {
    if (nonNumericFields.has(row.field) || unreplayed(row.field, row.id)) continue;
    const previous = state[row.field];
    if (previous !== undefined && row.before !== previous) {
      const previousRow = lastRow[row.field];
      add(
        "ledger_mismatch",
        "error",
        `${row.field} chain broken: event ${row.id} starts at ${row.before}, but ${previousRow ? `event ${previousRow.id}` : "the last verified state"} ended at ${previous}`,
        { check: "chain", field: row.field, previousAfter: previous, before: row.before },
        previousRow ? [previousRow.id, row.id] : [row.id],
      );
    }
    state[row.field] = row.after;
    lastRow[row.field] = row;
  }
  for (const [field, replayed] of Object.entries(state)) {
    const stored = storedValue(player, field, stats);
    if (stored === undefined) continue; // a stat no longer declared: its history stays, nothing to compare
    if (stored !== replayed) {
      add("ledger_mismatch", "error", `stored ${field} is ${stored}, but the ledger replays to ${replayed}`, { check: "replay", field, stored, replayed }, lastRow[field] ? [lastRow[field].id] : []);
    }
  }
  // Every write bumps the version once and appends at least one row carrying the new version.
  const newWrites = new Set(rows.map((row) => row.changeId)).size;
  const writes = checkpoint.version - 1 + newWrites;
  if (player.version !== 1 + writes) {
    add("ledger_mismatch", "error", `version is ${player.version}, but the ledger explains ${writes} writes (expected version ${1 + writes})`, {
      check: "version",
      version: player.version,
      expectedVersion: 1 + writes,
      writes,
    });
  }

  // 2. Values outside their bounds.
  if (player.health > player.maxHealth || player.health < floor) {
    add("health_out_of_range", "error", `health ${player.health} is outside [${floor}, ${player.maxHealth}]`, { health: player.health, maxHealth: player.maxHealth, floor });
  }
  for (const definition of stats.values()) {
    if (definition.builtin) continue;
    const value = storedValue(player, definition.key, stats)!;
    const max = definition.maxStat !== null ? storedValue(player, definition.maxStat, stats) : definition.max;
    if (value < definition.min || (max !== null && max !== undefined && value > max)) {
      add("stat_out_of_range", "error", `${definition.key} ${value} is outside [${definition.min}, ${max}]`, { stat: definition.key, value, min: definition.min, max: max ?? null });
    }
  }

  // 3. Health rising after death without a respawn.
  for (const row of rows) {
    // Judged by the rules in force when the row was written: a rule change applies from then on.
    const { deathAt, healDead } = history.at(row.id);
    if (row.field === "health" && !healDead && row.before <= deathAt && row.after > row.before && row.reason !== "respawn") {
      add(
        "health_rose_after_death",
        "error",
        `health rose from ${row.before} (dead) to ${row.after} by "${row.reason}", not by a respawn`,
        { before: row.before, after: row.after, reason: row.reason, floor: deathAt },
        [row.id],
      );
    }
  }

  // 4. An XP change that also changed health: the original bug's fingerprint (a stale whole object
  //    saved back by the XP path). Saves are excluded: they may legitimately change both.
  const byChange = new Map<string, LedgerRow[]>();
  for (const row of rows) byChange.set(row.changeId, [...(byChange.get(row.changeId) ?? []), row]);
  for (const change of byChange.values()) {
    const experience = change.find((row) => row.field === "experience" && row.reason === "experience");
    const health = change.find((row) => row.field === "health" && row.after !== row.before);
    if (experience && health) {
      add(
        "xp_change_touched_health",
        "error",
        `the XP change (+${experience.after - experience.before}) also moved health ${health.before} → ${health.after} in the same change`,
        { changeId: experience.changeId, experienceBefore: experience.before, experienceAfter: experience.after, healthBefore: health.before, healthAfter: health.after },
        [experience.id, health.id],
      );
    }
  }
  // 5. The hash chain: a row edited, deleted or inserted behind the triggers' back (lib/ledger/chain.ts).
  let chainHead = checkpoint.chainHead;
  if (chainAlgorithm) {
    const verdict = verifyChain(chainAlgorithm, rows as ChainRow[], checkpoint.chainHead ?? GENESIS);
    const byWrite = new Map<string, typeof verdict.problems>();
    for (const problem of verdict.problems) byWrite.set(problem.changeId, [...(byWrite.get(problem.changeId) ?? []), problem]);
    for (const [changeId, problems] of byWrite) {
      const first = problems[0]!;
      add(
        "ledger_tampered",
        "error",
        first.problem === "unchained_after_chain"
          ? `event ${first.eventId} has no hash, though rows before it are chained: it was inserted behind the ledger trigger`
          : `event ${first.eventId} does not match its hash: it was edited, or a row before it was deleted or inserted out of order`,
        { check: "chain", changeId, eventId: first.eventId, problem: first.problem, expected: first.expected, found: first.found, rows: problems.length },
        problems.map((problem) => problem.eventId),
      );
    }
    chainHead = verdict.head;
  }
  const lastEventId = rows.length > 0 ? rows[rows.length - 1]!.id : checkpoint.lastEventId;
  return { anomalies, next: { lastEventId, version: player.version, state, ...(chainHead !== undefined ? { chainHead } : {}) } };
}

/** The rules over a player's whole ledger (no checkpoint). */
export function findAnomalies(player: StoredPlayer, ledger: LedgerRow[], floor: number | GameRuleHistory, stats: Map<string, StatDefinition> = new Map()): Anomaly[] {
  return checkPlayer(player, ledger, floor, stats).anomalies;
}

export interface ExternalChange {
  playerId: string;
  playerName: string;
  changeId: string;
  actor: string;
  at: string;
  eventIds: number[];
  fields: string[];
}

/** A change made outside Pnakotic (manual SQL, a migration): not an error, but an operator must see it. */
export function externalChangeAnomaly(change: ExternalChange): Anomaly {
  return {
    kind: "external_change",
    severity: "warning",
    playerId: change.playerId,
    playerName: change.playerName,
    message: `changed outside Pnakotic by database user "${change.actor}" at ${change.at}: ${change.fields.join(", ")}`,
    eventIds: change.eventIds,
    detail: { changeId: change.changeId, actor: change.actor, at: change.at, fields: change.fields.join(",") },
  };
}
