import type { StatDefinition } from "../stats/stat-definition.ts";
import { isBuiltinStat, storedStatValue } from "../stats/stat-definition.ts";
import { GameRuleHistory, resolveGameRules } from "../stats/game-rules.ts";
import { jsonLedgerFields, textLedgerFields } from "../persistence/player-record.ts";
import { ChainVerifier, GENESIS } from "../ledger/chain.ts";
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
  /** A prune base or checkpoint whose signature does not verify: forged or moved without the key. */
  "anchor_forged",
  /** Rows missing (or added) under a signed checkpoint. */
  "ledger_rows_missing",
  /** A database trigger dropped, altered, disabled or added by hand (lib/integrity/trigger-inventory.ts). */
  "trigger_altered",
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
  /** Rows pushed since the start, through lastEventId (a new checkpoint's rowsThrough adds the start's). */
  rows?: number;
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

/** Findings kept per player and rule: a player whose every row is tampered stays a bounded report. */
export const MAX_FINDINGS_PER_RULE = 100;

/**
 * Checks one player, fed its ledger rows in id order one at a time (`push`), so a backlog of any
 * length is checked in bounded memory: only the current write's rows and one value per field are
 * held. `push` must see exactly the rows after `checkpoint.lastEventId` whose playerVersion is at
 * most `player.version` — the rows the stored row can already reflect, so a write that commits
 * during the check can never look like a mismatch.
 *
 * `verifiedSoFar()` is the checkpoint after the last complete write pushed, when nothing so far is
 * an error: a check that runs out of time saves it and the next one resumes there.
 */
export class PlayerChecker {
  /** Findings per rule, joined in rule order at the end (a report reads rule by rule). */
  private readonly found = { chain: [] as Anomaly[], replay: [] as Anomaly[], bounds: [] as Anomaly[], death: [] as Anomaly[], xp: [] as Anomaly[], tamper: [] as Anomaly[] };
  private readonly state: Record<string, number>;
  private readonly lastRow: Record<string, LedgerRow> = {};
  private readonly verifier: ChainVerifier | null;
  private write: LedgerRow[] = [];
  private writes: number;
  private lastEventId: number;
  private lastId = 0;
  private rows = 0;
  private closedRows = 0;
  private errors = 0;
  private readonly history: GameRuleHistory;
  private readonly floor: number;

  constructor(
    private readonly player: Pick<StoredPlayer, "id" | "name">,
    /** The game's rules per ledger event (a number: today's defaults with that floor and death threshold). */
    rules: number | GameRuleHistory,
    private readonly stats: Map<string, StatDefinition> = new Map(),
    private readonly checkpoint: Checkpoint = { lastEventId: 0, version: 1, state: {} },
    /** Verify the hash chain too: rows must then be the rows as hashed (lib/ledger/chain-rows.ts). */
    chainAlgorithm?: ChainAlgorithm,
  ) {
    this.history = typeof rules === "number" ? new GameRuleHistory(resolveGameRules({}, rules), []) : rules;
    this.floor = this.history.current.healthFloor;
    this.state = { ...checkpoint.state };
    for (const field of Object.keys(this.state)) if (this.unreplayed(field, checkpoint.lastEventId)) delete this.state[field];
    this.writes = checkpoint.version - 1;
    this.lastEventId = checkpoint.lastEventId;
    this.verifier = chainAlgorithm ? new ChainVerifier(chainAlgorithm, checkpoint.chainHead ?? GENESIS) : null;
  }

  /**
   * A stat's history counts only while it is ledgered: not at all while ledgering is off, and from
   * where it was turned back on (its unledgered changes left a gap, not a broken chain).
   */
  private unreplayed(field: string, eventId: number): boolean {
    const definition = this.stats.get(field);
    return definition !== undefined && (!definition.ledgered || eventId <= (definition.ledgeredFromEventId ?? 0));
  }

  /** Rows pushed so far. */
  get scanned(): number {
    return this.rows;
  }

  push(row: LedgerRow): void {
    if (row.id <= this.lastId) throw new Error(`PlayerChecker: rows must come in id order (${row.id} after ${this.lastId})`);
    this.lastId = row.id;
    if (this.write.length > 0 && this.write[0]!.changeId !== row.changeId) this.closeWrite();
    this.write.push(row);
    this.verifier?.push(row as ChainRow);
    this.rows += 1;
  }

  verifiedSoFar(): Checkpoint | null {
    if (this.errors > 0 || this.verifier?.hasProblems()) return null;
    const chainHead = this.verifier ? this.verifier.closedHead() : this.checkpoint.chainHead;
    return { lastEventId: this.lastEventId, version: 1 + this.writes, state: { ...this.state }, rows: this.closedRows, ...(chainHead !== undefined ? { chainHead } : {}) };
  }

  /** The verdict once every row is pushed, against the stored row read before the rows. */
  finish(player: StoredPlayer, stats: Map<string, StatDefinition> = this.stats): PlayerVerdict {
    this.closeWrite();
    // 1b. Each field's chain ends at the stored value.
    for (const [field, replayed] of Object.entries(this.state)) {
      const stored = storedValue(player, field, stats);
      if (stored === undefined) continue; // a stat no longer declared: its history stays, nothing to compare
      if (stored !== replayed) {
        this.add("replay", "ledger_mismatch", `stored ${field} is ${stored}, but the ledger replays to ${replayed}`, { check: "replay", field, stored, replayed }, this.lastRow[field] ? [this.lastRow[field].id] : []);
      }
    }
    // Every write bumps the version once and appends at least one row carrying the new version.
    if (player.version !== 1 + this.writes) {
      this.add("replay", "ledger_mismatch", `version is ${player.version}, but the ledger explains ${this.writes} writes (expected version ${1 + this.writes})`, {
        check: "version",
        version: player.version,
        expectedVersion: 1 + this.writes,
        writes: this.writes,
      });
    }
    // 2. Values outside their bounds.
    if (player.health > player.maxHealth || player.health < this.floor) {
      this.add("bounds", "health_out_of_range", `health ${player.health} is outside [${this.floor}, ${player.maxHealth}]`, { health: player.health, maxHealth: player.maxHealth, floor: this.floor });
    }
    for (const definition of stats.values()) {
      if (definition.builtin) continue;
      const value = storedValue(player, definition.key, stats)!;
      const max = definition.maxStat !== null ? storedValue(player, definition.maxStat, stats) : definition.max;
      if (value < definition.min || (max !== null && max !== undefined && value > max)) {
        this.add("bounds", "stat_out_of_range", `${definition.key} ${value} is outside [${definition.min}, ${max}]`, { stat: definition.key, value, min: definition.min, max: max ?? null });
      }
    }
    // 5. The hash chain: a row edited, deleted or inserted behind the triggers' back (lib/ledger/chain.ts).
    let chainHead = this.checkpoint.chainHead;
    if (this.verifier) {
      const verdict = this.verifier.finish();
      const byWrite = new Map<string, typeof verdict.problems>();
      for (const problem of verdict.problems) {
        const problems = byWrite.get(problem.changeId);
        if (problems) problems.push(problem);
        else byWrite.set(problem.changeId, [problem]);
      }
      for (const [changeId, problems] of byWrite) {
        const first = problems[0]!;
        this.add(
          "tamper",
          "ledger_tampered",
          first.problem === "unchained_after_chain"
            ? `event ${first.eventId} has no hash, though rows before it are chained: it was inserted behind the ledger trigger`
            : `event ${first.eventId} does not match its hash: it was edited, or a row before it was deleted or inserted out of order`,
          { check: "chain", changeId, eventId: first.eventId, problem: first.problem, expected: first.expected, found: first.found, rows: problems.length },
          problems.map((problem) => problem.eventId),
        );
      }
      chainHead = verdict.head;
    }
    const found = this.found;
    const anomalies = [...found.chain, ...found.replay, ...found.bounds, ...found.death, ...found.xp, ...found.tamper];
    return { anomalies, next: { lastEventId: this.lastEventId, version: player.version, state: { ...this.state }, rows: this.closedRows, ...(chainHead !== undefined ? { chainHead } : {}) } };
  }

  /** A finding about where verification started (a forged anchor, rows missing under it). */
  anchorProblem(kind: "anchor_forged" | "ledger_rows_missing", message: string, detail: AnomalyDetail, eventIds: number[] = []): void {
    this.add("tamper", kind, message, detail, eventIds);
  }

  private add(rule: keyof PlayerChecker["found"], kind: AnomalyKind, message: string, detail: AnomalyDetail, eventIds: number[] = []): void {
    this.errors += 1;
    const list = this.found[rule];
    if (list.length < MAX_FINDINGS_PER_RULE) list.push({ kind, severity: "error", playerId: this.player.id, playerName: this.player.name, message, eventIds, detail });
  }

  /** A write's rows are complete: apply the per-row rules (1, 3) and the per-write rule (4). */
  private closeWrite(): void {
    const write = this.write;
    if (write.length === 0) return;
    this.write = [];
    this.writes += 1;
    this.closedRows += write.length;
    this.lastEventId = write[write.length - 1]!.id;
    for (const row of write) {
      // 1. Stored state ≠ ledger replay: each field's chain must be unbroken.
      if (!nonNumericFields.has(row.field) && !this.unreplayed(row.field, row.id)) {
        const previous = this.state[row.field];
        if (previous !== undefined && row.before !== previous) {
          const previousRow = this.lastRow[row.field];
          this.add(
            "chain",
            "ledger_mismatch",
            `${row.field} chain broken: event ${row.id} starts at ${row.before}, but ${previousRow ? `event ${previousRow.id}` : "the last verified state"} ended at ${previous}`,
            { check: "chain", field: row.field, previousAfter: previous, before: row.before },
            previousRow ? [previousRow.id, row.id] : [row.id],
          );
        }
        this.state[row.field] = row.after;
        this.lastRow[row.field] = row;
      }
      // 3. Health rising after death without a respawn, judged by the rules in force when the row
      //    was written: a rule change applies from then on.
      if (row.field === "health" && row.after > row.before && row.reason !== "respawn") {
        const { deathAt, healDead } = this.history.at(row.id);
        if (!healDead && row.before <= deathAt) {
          this.add("death", "health_rose_after_death", `health rose from ${row.before} (dead) to ${row.after} by "${row.reason}", not by a respawn`, { before: row.before, after: row.after, reason: row.reason, floor: deathAt }, [row.id]);
        }
      }
    }
    // 4. An XP change that also changed health: the original bug's fingerprint (a stale whole object
    //    saved back by the XP path). Saves are excluded: they may legitimately change both.
    const experience = write.find((row) => row.field === "experience" && row.reason === "experience");
    const health = write.find((row) => row.field === "health" && row.after !== row.before);
    if (experience && health) {
      this.add(
        "xp",
        "xp_change_touched_health",
        `the XP change (+${experience.after - experience.before}) also moved health ${health.before} → ${health.after} in the same change`,
        { changeId: experience.changeId, experienceBefore: experience.before, experienceAfter: experience.after, healthBefore: health.before, healthAfter: health.after },
        [experience.id, health.id],
      );
    }
  }
}

/** Checks one player over an array of rows (any order): the unit tests' and small callers' form. */
export function checkPlayer(
  player: StoredPlayer,
  ledger: LedgerRow[],
  /** The game's rules per ledger event (a number: today's defaults with that floor and death threshold). */
  rules: number | GameRuleHistory,
  stats: Map<string, StatDefinition> = new Map(),
  checkpoint: Checkpoint = { lastEventId: 0, version: 1, state: {} },
  chainAlgorithm?: ChainAlgorithm,
): PlayerVerdict {
  const checker = new PlayerChecker(player, rules, stats, checkpoint, chainAlgorithm);
  for (const row of [...ledger].sort((a, b) => a.id - b.id)) checker.push(row);
  return checker.finish(player);
}

/** The rules over a player's whole ledger (no checkpoint). */
export function findAnomalies(player: StoredPlayer, ledger: LedgerRow[], rules: number | GameRuleHistory, stats: Map<string, StatDefinition> = new Map()): Anomaly[] {
  return checkPlayer(player, ledger, rules, stats).anomalies;
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
