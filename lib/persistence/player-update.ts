import { randomUUID } from "node:crypto";
import { AppError } from "../errors/app-error.ts";
import type { StatDefinition } from "../stats/stat-definition.ts";
import { builtinStatColumn, isBuiltinStat } from "../stats/stat-definition.ts";
import { MAX_LEVEL } from "../players/level-curve.ts";
import { NEVER_DEAD, resolveGameRules } from "../stats/game-rules.ts";
import type { GameRules, LevelRule } from "../stats/game-rules.ts";
import type { Actor } from "./persistence-context.ts";
import type { LedgerReason } from "./player-record.ts";
import { SqlParams } from "./sql-writer.ts";

/*
 * The write path's statement: one UPDATE per player write, compiled from a declarative description
 * of the change (what the player-operations layer decided). The database computes every new value
 * from the current one, clamps it to the stat's bounds — an upper bound may be another stat, taken at
 * its new value when the same statement changes it — bumps the version, checks the expected version
 * and any guard in the WHERE clause, and records who and why in the "change*" columns. The ledger and
 * audit rows come from the trigger (migration 20261125120000_database_ledger), in the same statement.
 */

/** One stat change. `add` clamps toward the bounds; `set` is refused outside them; `copy` sets a stat to another's value. */
export type StatOperation =
  /** `exact`: no clamping; the statement is refused (no row) unless the new value lies within the bounds (a transfer's legs). */
  | { stat: string; op: "add"; value: number; record?: boolean; exact?: boolean }
  | { stat: string; op: "set"; value: number; record?: boolean }
  | { stat: string; op: "copy"; from: string; record?: boolean };

/** Non-stat columns a whole-object save writes. */
export interface PlayerFieldValues {
  name: string;
  nameKey: string;
  currentRoomId: string | null;
  professionId: string | null;
  attributes: object;
  inventory: unknown[];
  statusEffects: unknown[];
}

/**
 * Who and why: copied by the trigger into every ledger row of the change (and the audit row for
 * staff). `reason` must be one of the ledger's reasons (PlayerEvent_reason_known).
 */
export interface ChangeContext {
  reason: Exclude<LedgerReason, "external">;
  actor: Actor;
  requestId?: string;
  detail?: Record<string, unknown>;
  /** Ledger timestamp; only imports and the demo seed set it. */
  at?: Date;
  /** Audit action for staff writes; the trigger defaults to player.<reason>. */
  audit?: string;
  /** The staff member's reason, stored on the audit row. */
  note?: string;
}

export interface PlayerUpdate {
  playerId: string;
  /** Refuse unless the row is at this version (whole saves, If-Match). */
  expectedVersion?: number;
  operations: StatOperation[];
  fields?: PlayerFieldValues;
  /** Refuse unless the player is alive (healing and corrections: the dead are only respawned), unless the game heals the dead. */
  requireAlive?: boolean;
  context: ChangeContext;
  /** Game-server writes mark the player active. */
  touchActivity: boolean;
  /**
   * A stale version is expected and handled by the caller (a whole save that then merges): it is
   * not counted or logged as a refused stale write here; the caller records the outcome.
   */
  staleHandledByCaller?: boolean;
  /**
   * Archiving and bringing back: the one write an archived player takes is "unarchive"; every other
   * write matches only players that are not archived (410 player_archived otherwise).
   */
  lifecycle?: "archive" | "unarchive";
}

export interface CompiledUpdate {
  sql: string;
  params: unknown[];
  changeId: string;
}

export interface CompileEnvironment {
  dialect: "sqlite" | "postgresql";
  stats: Map<string, StatDefinition>;
  now: Date;
  /** The game's rules (level, death, healing the dead); absent: the defaults with the given floor. */
  rules?: GameRules;
}

/**
 * A timestamp column read through the driver, as ISO text: PostgreSQL's driver would read a
 * timestamp without zone as local time, so it is formatted as UTC text there.
 */
export function timeColumn(dialect: "sqlite" | "postgresql", column: string): string {
  return dialect === "sqlite" ? `"${column}"` : `to_char("${column}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${column}"`;
}

/** Columns the write path returns, as text/JSON the row mapper understands on both databases. */
export function returningColumns(dialect: "sqlite" | "postgresql"): string {
  const time = (column: string) => timeColumn(dialect, column);
  return [
    `"id"`,
    `"name"`,
    `"currentRoomId"`,
    `"professionId"`,
    `"level"`,
    `"experiencePoints"`,
    `"health"`,
    `"maxHealth"`,
    `"attributes"`,
    `"inventory"`,
    `"statusEffects"`,
    `"stats"`,
    `"version"`,
    time("createdAt"),
    time("updatedAt"),
    time("lastActiveAt"),
    timeColumn(dialect, "archivedAt"),
    `"testTag"`,
  ].join(", ");
}

class ExpressionBuilder {
  private readonly newValues = new Map<string, string>();
  private readonly resolving = new Set<string>();
  private readonly byStat: Map<string, StatOperation>;

  constructor(
    private readonly env: CompileEnvironment,
    private readonly params: SqlParams,
    operations: StatOperation[],
    private readonly level: LevelRule,
  ) {
    this.byStat = new Map(operations.map((operation) => [operation.stat, operation]));
  }

  definition(stat: string): StatDefinition {
    const definition = this.env.stats.get(stat);
    if (!definition) throw new Error(`unknown stat ${stat} reached the statement compiler`);
    return definition;
  }

  /** The stat's value before the statement. */
  current(stat: string): string {
    if (isBuiltinStat(stat)) return `"${builtinStatColumn[stat]}"`;
    const { default: fallback } = this.definition(stat);
    assertSafeKey(stat);
    return this.env.dialect === "sqlite"
      ? `COALESCE(json_extract("stats", '$."${stat}"'), ${integerLiteral(fallback)})`
      : `COALESCE(("stats" ->> '${stat}')::integer, ${integerLiteral(fallback)})`;
  }

  /** Does the statement change this stat (explicitly, as a derived value, or by a bound's change)? */
  changes(stat: string, chain: string[] = []): boolean {
    if (this.byStat.has(stat)) return true;
    // A derived level moves with experience; a level the game owns only when written.
    if (stat === "level" && this.level.mode !== "game") return this.byStat.has("experience");
    const { maxStat } = this.definition(stat);
    if (maxStat === null) return false;
    // Declarations refuse loops in their transaction; one can still be written behind Pnakotic's
    // back, and following it would never end (a stack overflow, a 500 on every write).
    if (chain.includes(stat)) throw boundsLoopError([...chain, stat]);
    return this.changes(maxStat, [...chain, stat]);
  }

  upperBound(stat: string): string {
    const { max, maxStat } = this.definition(stat);
    if (maxStat !== null) return this.value(maxStat);
    return integerLiteral(max ?? 0);
  }

  lowerBound(stat: string): string {
    return integerLiteral(this.definition(stat).min);
  }

  /** The stat's value after the statement (its current value if the statement does not change it). */
  value(stat: string): string {
    if (!this.changes(stat)) return this.current(stat);
    const known = this.newValues.get(stat);
    if (known) return known;
    if (this.resolving.has(stat)) throw boundsLoopError([...this.resolving, stat]);
    this.resolving.add(stat);
    const expression = this.compute(stat);
    this.resolving.delete(stat);
    this.newValues.set(stat, expression);
    return expression;
  }

  private compute(stat: string): string {
    const operation = this.byStat.get(stat);
    const current = this.current(stat);
    if (stat === "level" && this.level.mode !== "game") return levelExpression(this.env.dialect, this.level, this.value("experience"));
    const { maxStat } = this.definition(stat);
    const boundChanges = maxStat !== null && this.changes(maxStat);
    let expression: string;
    if (!operation) {
      // Only the bound moves: a value above the new bound comes down to it.
      expression = current;
    } else if (operation.op === "add" && operation.exact) {
      expression = `(${current} + ${this.params.add(operation.value, "integer")})`;
    } else if (operation.op === "add") {
      const amount = this.params.add(operation.value, "integer");
      const max = this.upperBound(stat);
      const min = this.lowerBound(stat);
      // Clamped toward the range, never further out: a value already outside it (after a bound was
      // reconfigured) is neither pushed further out nor pulled in by this change.
      expression =
        operation.value >= 0
          ? `(CASE WHEN ${current} + ${amount} <= ${max} THEN ${current} + ${amount} WHEN ${current} > ${max} THEN ${current} ELSE ${max} END)`
          : `(CASE WHEN ${current} + ${amount} >= ${min} THEN ${current} + ${amount} WHEN ${current} < ${min} THEN ${current} ELSE ${min} END)`;
    } else if (operation.op === "set") {
      expression = this.params.add(operation.value, "integer");
    } else {
      expression = this.value(operation.from);
    }
    if (boundChanges) {
      const bound = this.value(maxStat);
      expression = `(CASE WHEN ${expression} > ${bound} THEN ${bound} ELSE ${expression} END)`;
    }
    return expression;
  }

  /** Stats whose value the statement assigns, with their new-value expressions. */
  assignments(): Array<[string, string]> {
    const stats = [...this.env.stats.keys()].filter((stat) => this.changes(stat));
    return stats.map((stat) => [stat, this.value(stat)]);
  }

  /** WHERE conditions for `set` and exact `add`: the value must lie within the bounds as they are after the statement. */
  setGuards(): string[] {
    const guards: string[] = [];
    for (const operation of this.byStat.values()) {
      if (operation.op === "add" && operation.exact) {
        const value = this.value(operation.stat);
        guards.push(`${value} >= ${this.lowerBound(operation.stat)} AND ${value} <= ${this.upperBound(operation.stat)}`);
      }
      if (operation.op !== "set") continue;
      const value = this.params.add(operation.value, "integer");
      guards.push(`${value} >= ${this.lowerBound(operation.stat)} AND ${value} <= ${this.upperBound(operation.stat)}`);
    }
    return guards;
  }
}

/**
 * Level from experience in SQL under the game's rule; mirrors levelUnderRule in
 * lib/stats/game-rules.ts (tests compare both at every threshold). A curve is a CASE over its
 * thresholds, highest first, written as literals (validated integers) so the statement stays cached.
 */
function levelExpression(dialect: "sqlite" | "postgresql", rule: Exclude<LevelRule, { mode: "game" }>, experience: string): string {
  if (rule.mode === "curve") {
    const arms = rule.thresholds
      .map((threshold, index) => ({ threshold, level: Math.min(MAX_LEVEL, index + 2) }))
      .reverse()
      .map(({ threshold, level }) => `WHEN ${experience} >= ${integerLiteral(threshold)} THEN ${level}`);
    return `(CASE ${arms.join(" ")} ELSE 1 END)`;
  }
  return dialect === "sqlite"
    ? `(CASE WHEN ${experience} <= 0 THEN 1 ELSE MIN(${MAX_LEVEL}, CAST(sqrt(${experience} / 100.0) AS INTEGER) + 1) END)`
    : `(CASE WHEN ${experience} <= 0 THEN 1 ELSE LEAST(${MAX_LEVEL}, floor(sqrt(${experience} / 100.0))::integer + 1) END)`;
}

function boundsLoopError(chain: string[]): AppError {
  return new AppError("stat_bounds_loop", `The declared stat bounds form a loop (${chain.join(" → ")}); redeclare one of these stats with a numeric max`, {
    extensions: { loop: chain },
  });
}

function integerLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

function assertSafeKey(key: string): void {
  // Keys are validated when declared (statKeySchema); this guards the one place they enter SQL text.
  if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)) throw new Error(`unsafe stat key ${JSON.stringify(key)}`);
}

export function compilePlayerUpdate(env: CompileEnvironment, update: PlayerUpdate, healthFloor: number): CompiledUpdate {
  const rules = env.rules ?? resolveGameRules({}, healthFloor);
  const params = new SqlParams(env.dialect);
  const builder = new ExpressionBuilder(env, params, update.operations, rules.level);
  const set: string[] = [];
  const jsonAssignments: Array<[string, string]> = [];
  for (const [stat, expression] of builder.assignments()) {
    if (isBuiltinStat(stat)) set.push(`"${builtinStatColumn[stat]}" = ${expression}`);
    else jsonAssignments.push([stat, expression]);
  }
  if (jsonAssignments.length > 0) {
    set.push(
      env.dialect === "sqlite"
        ? `"stats" = json_set("stats", ${jsonAssignments.map(([stat, expression]) => `'$."${stat}"', ${expression}`).join(", ")})`
        : `"stats" = "stats" || jsonb_build_object(${jsonAssignments.map(([stat, expression]) => `'${stat}', ${expression}`).join(", ")})`,
    );
  }
  if (update.fields) {
    const fields = update.fields;
    set.push(`"name" = ${params.add(fields.name, "text")}`);
    set.push(`"nameKey" = ${params.add(fields.nameKey, "text")}`);
    set.push(`"currentRoomId" = ${params.add(fields.currentRoomId, "text")}`);
    set.push(`"professionId" = ${params.add(fields.professionId, "text")}`);
    set.push(`"attributes" = ${params.add(fields.attributes, "jsonb")}`);
    set.push(`"inventory" = ${params.add(fields.inventory, "jsonb")}`);
    set.push(`"statusEffects" = ${params.add(fields.statusEffects, "jsonb")}`);
  }
  const changeId = randomUUID();
  const { context } = update;
  const touched = update.operations.filter((operation) => operation.record !== false).map((operation) => operation.stat);
  const now = params.add(env.now, "timestamp");
  set.push(
    `"version" = "version" + 1`,
    `"updatedAt" = ${now}`,
    // Every context column is written on every write: a value left from an earlier write would be
    // copied into this change's ledger rows.
    `"changeId" = ${params.add(changeId, "text")}`,
    `"changeReason" = ${params.add(context.reason, "text")}`,
    `"changeActor" = ${params.add(context.actor.name, "text")}`,
    `"changeActorKind" = ${params.add(context.actor.kind, "text")}`,
    `"changeRequestId" = ${params.add(context.requestId ?? null, "text")}`,
    `"changeDetail" = ${params.add(context.detail ?? null, "jsonb")}`,
    `"changeAt" = ${params.add(context.at ?? env.now, "timestamp")}`,
    `"changeTouched" = ${params.add(touched.length > 0 ? `,${touched.join(",")},` : null, "text")}`,
    `"changeAudit" = ${params.add(context.audit ?? null, "text")}`,
    `"changeNote" = ${params.add(context.note ?? null, "text")}`,
  );
  if (update.touchActivity) set.push(`"lastActiveAt" = ${now}`);
  if (update.lifecycle === "archive") set.push(`"archivedAt" = ${now}`);
  if (update.lifecycle === "unarchive") set.push(`"archivedAt" = NULL`);

  const where = [`"id" = ${params.add(update.playerId, "text")}`];
  where.push(update.lifecycle === "unarchive" ? `"archivedAt" IS NOT NULL` : `"archivedAt" IS NULL`);
  if (context.actor.testPlayersOnly) where.push(`"testTag" IS NOT NULL`);
  if (update.expectedVersion !== undefined) where.push(`"version" = ${params.add(update.expectedVersion, "integer")}`);
  // The game's death rule: a game that heals the dead (or has no death by health) needs no guard.
  if (update.requireAlive && !rules.healDead && rules.deathAt !== NEVER_DEAD) where.push(`"health" > ${integerLiteral(rules.deathAt)}`);
  where.push(...builder.setGuards());

  const sql = `UPDATE "Player" SET ${set.join(", ")} WHERE ${where.join(" AND ")} RETURNING ${returningColumns(env.dialect)}`;
  return { sql, params: params.values, changeId };
}
