import { performance } from "node:perf_hooks";
import { AppError, StaleDataError, playerNotFound } from "../errors/app-error.ts";
import { errorStatus } from "../errors/error-codes.ts";
import type { PersistenceOperation } from "../metrics/persistence-metrics.ts";
import type { GameRules } from "../stats/game-rules.ts";
import type { StatDefinition } from "../stats/stat-definition.ts";
import { storedStatValue } from "../stats/stat-definition.ts";
import { statusForHealth } from "../players/health-rules.ts";
import type { PersistenceContext } from "./persistence-context.ts";
import { compilePlayerUpdate, timeColumn } from "./player-update.ts";
import type { PlayerUpdate } from "./player-update.ts";
import { statValues } from "./player-record.ts";
import type { JsonObject, Player, PlayerEvent } from "./player-record.ts";
import { isUniqueViolation, unavailableError } from "./prisma-errors.ts";
import { SqlParams } from "./sql-writer.ts";
import type { SqlExecutor } from "./sql-writer.ts";

export interface MutationResult {
  player: Player;
  /** The primary ledger row: the first row of the stat the operation addressed first. */
  event: PlayerEvent;
  /** Every ledger row the write appended (the trigger's rows for this change). */
  events: PlayerEvent[];
}

/** A guard can fail because of a write that landed between the statement and its diagnosis. */
const ATTEMPTS = 3;

/**
 * Runs one player write: one UPDATE statement (ledger and audit rows come from the trigger), then,
 * after it committed, invalidates the cache and tells other instances. When no row matched, a
 * second query — on that failure path only — tells an unknown player from a stale version, a dead
 * player or a value out of bounds. A failure is logged, counted and never swallowed.
 */
export async function runPlayerUpdate(ctx: PersistenceContext, operation: PersistenceOperation, update: PlayerUpdate): Promise<MutationResult> {
  const started = performance.now();
  try {
    const stats = await ctx.stats.byKey();
    const rules = await ctx.stats.rules();
    for (let attempt = 1; ; attempt += 1) {
      const applied = await applyPlayerUpdate(ctx.writer, ctx, stats, rules, update);
      if (applied) {
        const events = await readChanges(ctx.writer, [applied.changeId]);
        await afterCommit(ctx, [applied.player], update.context.requestId);
        recordApplied(ctx, operation, stats, events, performance.now() - started);
        return mutationResult(update, applied.player, events);
      }
      if (attempt >= ATTEMPTS) throw keptChanging(update.playerId);
    }
  } catch (error) {
    throw failedWrite(ctx, operation, update, error);
  }
}

/**
 * Runs one compiled statement on `executor` (the writer, or a batch's open transaction). Returns the
 * new row, throws the reason when no row matched, or returns null when the guards hold now (a
 * concurrent write moved them between the statement and its diagnosis: the caller may retry).
 */
export async function applyPlayerUpdate(
  executor: SqlExecutor,
  ctx: PersistenceContext,
  stats: Map<string, StatDefinition>,
  /**
   * The game's rules as this process knows them (the statement applies them). Read by the caller
   * with the stats, before any transaction: a refresh of the registry's copy inside a batch's
   * transaction would wait for a second connection from the pool that the batch's peers hold while
   * they wait for its row locks (PostgreSQL: every trader stuck, the pool timing out).
   */
  rules: GameRules,
  update: PlayerUpdate,
): Promise<{ player: Player; changeId: string } | null> {
  const compiled = compilePlayerUpdate({ dialect: executor.dialect, stats, rules, now: new Date() }, update, ctx.healthFloor);
  const rows = await executor.query<RawPlayerRow>(compiled.sql, compiled.params);
  if (rows.length === 1) return { player: rowToPlayer(rows[0]!, rules.deathAt), changeId: compiled.changeId };
  await explainRefusal(executor, ctx, update, stats, rules);
  return null;
}

export function keptChanging(playerId: string): AppError {
  return new AppError("stale_version", `Player ${playerId} kept changing while this write was checked; try again`, { extensions: { playerId } });
}

/** The answer for one change: its player and the ledger rows of its statement. */
export function mutationResult(update: PlayerUpdate, player: Player, events: PlayerEvent[]): MutationResult {
  const primary = update.operations.find((change) => change.record !== false)?.stat;
  return { player, event: events.find((event) => event.field === primary) ?? events[0]!, events };
}

export function recordApplied(ctx: PersistenceContext, operation: PersistenceOperation, stats: Map<string, StatDefinition>, events: PlayerEvent[], ms: number): void {
  ctx.metrics.recordWrite(operation, ms);
  for (const event of events) if (stats.has(event.field)) ctx.metrics.recordStatChange(event.field, event.reason);
}

/** Throws the reason no row matched, or returns when the guards hold now (a concurrent write moved them: retry). */
async function explainRefusal(executor: SqlExecutor, ctx: PersistenceContext, update: PlayerUpdate, stats: Map<string, StatDefinition>, rules: GameRules): Promise<void> {
  const rows = await executor.query<{ version: number; health: number; maxHealth: number; experiencePoints: number; level: number; stats: unknown; archived: number; testTag: string | null }>(
    `SELECT "version", "health", "maxHealth", "experiencePoints", "level", "stats", CASE WHEN "archivedAt" IS NULL THEN 0 ELSE 1 END AS "archived", "testTag" FROM "Player" WHERE "id" = ${executor.dialect === "sqlite" ? "@p1" : "$1"}`,
    [update.playerId],
  );
  const row = rows[0];
  if (!row) throw playerNotFound(update.playerId);
  // The statement's own guards, in the order it checks them: archived, test players only, version.
  const archived = Number(row.archived) === 1;
  if (update.lifecycle === "unarchive" && !archived) {
    throw new AppError("player_not_archived", `Player ${update.playerId} is not archived`, { extensions: { playerId: update.playerId } });
  }
  if (update.lifecycle !== "unarchive" && archived) throw playerArchived(update.playerId);
  if (update.context.actor.testPlayersOnly && row.testTag === null) {
    throw new AppError("forbidden", `This token is scoped to test players; player ${update.playerId} was not created as one`, { extensions: { playerId: update.playerId } });
  }
  if (update.expectedVersion !== undefined && row.version !== update.expectedVersion) {
    throw new StaleDataError(update.playerId, update.expectedVersion, row.version);
  }
  if (update.requireAlive && !rules.healDead && statusForHealth(row.health, rules.deathAt) === "dead") {
    throw new AppError("player_dead", `Player ${update.playerId} is dead (health ${row.health}); respawn them first`, {
      extensions: { playerId: update.playerId, health: row.health },
    });
  }
  const holder = { ...row, stats: statValues(parseJson(row.stats) as JsonObject) };
  const valueOf = (stat: string): number => {
    const planned = update.operations.find((operation) => operation.stat === stat && operation.op === "set");
    if (planned && planned.op === "set") return planned.value;
    return storedStatValue(holder, stats.get(stat) ?? { key: stat, default: 0 });
  };
  for (const operation of update.operations) {
    if (operation.op === "add" && operation.exact) {
      explainExactAdd(update.playerId, operation.stat, operation.value, valueOf, stats.get(operation.stat)!);
      continue;
    }
    if (operation.op !== "set") continue;
    const definition = stats.get(operation.stat)!;
    const max = definition.maxStat !== null ? valueOf(definition.maxStat) : definition.max!;
    if (operation.value < definition.min || operation.value > max) {
      const bound = definition.maxStat !== null ? `${max} (${definition.maxStat})` : String(max);
      throw new AppError("invalid_input", `${operation.stat} must be between ${definition.min} and ${bound}; got ${operation.value}`, {
        issues: [{ path: operation.stat, message: `must be between ${definition.min} and ${bound}` }],
        extensions: { playerId: update.playerId, stat: operation.stat, min: definition.min, max },
      });
    }
  }
}

/** An exact add (a transfer's leg) is refused whole: the giver lacks the amount, or the receiver's bound would be exceeded. */
function explainExactAdd(playerId: string, stat: string, value: number, valueOf: (stat: string) => number, definition: StatDefinition): void {
  const current = valueOf(stat);
  const max = definition.maxStat !== null ? valueOf(definition.maxStat) : definition.max!;
  const extensions = { playerId, stat, current, amount: Math.abs(value), min: definition.min, max };
  if (value < 0 && current + value < definition.min) {
    throw new AppError("insufficient_balance", `Player ${playerId} has ${current} ${stat}; giving ${-value} would leave less than ${definition.min}`, { extensions });
  }
  if (value > 0 && current + value > max) {
    throw new AppError("stat_bound_exceeded", `Player ${playerId} has ${current} ${stat}; receiving ${value} would exceed ${max}`, { extensions });
  }
}

export function playerArchived(playerId: string): AppError {
  return new AppError("player_archived", `Player ${playerId} is archived; an admin can bring it back (POST /api/v1/players/${playerId}/unarchive)`, {
    extensions: { playerId },
  });
}

/** Committed: make every cache forget the old state. A bus failure is logged, never hidden. */
export async function afterCommit(ctx: PersistenceContext, players: Player[], requestId: string | undefined): Promise<void> {
  for (const player of players) {
    ctx.cache.invalidate(player.id, "write", player.version);
    ctx.cache.offer(player.id, player);
  }
  if (ctx.bus.announcedByDatabase) return; // PostgreSQL's trigger announced it with the commit
  for (const player of players) {
    try {
      await ctx.bus.publish({ playerId: player.id, version: player.version, origin: ctx.instanceId });
    } catch (error) {
      ctx.logger.error(
        { module: "cache", err: error, playerId: player.id, version: player.version, requestId },
        "could not publish a cache invalidation; other instances rely on their TTL until the bus recovers",
      );
    }
  }
}

export function failedWrite(ctx: PersistenceContext, operation: PersistenceOperation, update: PlayerUpdate, error: unknown): unknown {
  const log = { module: "persistence", operation, playerId: update.playerId, requestId: update.context.requestId };
  if (error instanceof StaleDataError && update.staleHandledByCaller) return error;
  if (error instanceof StaleDataError || (error instanceof AppError && error.code === "stale_version")) {
    ctx.metrics.staleSavesRefused += 1;
    ctx.logger.warn({ ...log, ...(error instanceof StaleDataError ? { expectedVersion: error.expectedVersion, currentVersion: error.currentVersion } : {}) }, "stale write refused");
    return error;
  }
  // Caller mistakes (unknown player, invalid value, dead player) are answers, not failures; a
  // server-side refusal (a 5xx code such as stat_bounds_loop) is a failure an operator must see.
  if (error instanceof AppError && errorStatus[error.code] < 500) return error;
  if (error instanceof AppError) {
    ctx.metrics.recordError(operation);
    ctx.logger.error({ ...log, err: error }, `player ${operation} refused: ${error.message}`);
    return error;
  }
  if (isUniqueViolation(error) && update.fields) {
    return new AppError("already_exists", `A player named "${update.fields.name}" already exists`, { issues: [{ path: "name", message: "is taken" }] });
  }
  ctx.metrics.recordError(operation);
  // Nothing committed, but drop the entry anyway: cheap, and it rules out serving a guess.
  ctx.cache.invalidate(update.playerId, "write");
  const unavailable = unavailableError(error);
  if (unavailable) ctx.logger.warn({ ...log, err: error }, `player ${operation} refused: database unavailable`);
  else ctx.logger.error({ ...log, err: error }, `player ${operation} failed`);
  return unavailable ?? error;
}

export interface RawPlayerRow {
  id: string;
  name: string;
  currentRoomId: string | null;
  professionId: string | null;
  level: number;
  experiencePoints: number;
  health: number;
  maxHealth: number;
  attributes: unknown;
  inventory: unknown;
  statusEffects: unknown;
  stats: unknown;
  version: number;
  createdAt: string | Date;
  updatedAt: string | Date;
  lastActiveAt: string | Date;
  archivedAt: string | Date | null;
  testTag: string | null;
}

function parseJson(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

const toDate = (value: string | Date) => (value instanceof Date ? value : new Date(value));

/** `deathAt`: the game's death threshold (health at or below it is dead). */
export function rowToPlayer(row: RawPlayerRow, deathAt: number): Player {
  const attributes = parseJson(row.attributes);
  const inventory = parseJson(row.inventory);
  const statusEffects = parseJson(row.statusEffects);
  return {
    id: row.id,
    name: row.name,
    currentRoomId: row.currentRoomId,
    professionId: row.professionId,
    level: Number(row.level),
    experiencePoints: Number(row.experiencePoints),
    health: Number(row.health),
    maxHealth: Number(row.maxHealth),
    attributes: typeof attributes === "object" && attributes !== null && !Array.isArray(attributes) ? (attributes as JsonObject) : {},
    inventory: Array.isArray(inventory) ? inventory : [],
    statusEffects: Array.isArray(statusEffects) ? statusEffects : [],
    stats: statValues(parseJson(row.stats) as JsonObject),
    version: Number(row.version),
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
    lastActiveAt: toDate(row.lastActiveAt),
    archivedAt: row.archivedAt === null ? null : toDate(row.archivedAt),
    testTag: row.testTag,
    status: statusForHealth(Number(row.health), deathAt),
  };
}

/** The ledger rows these changes appended, as the trigger wrote them, in ledger order. */
export async function readChanges(executor: SqlExecutor, changeIds: string[]): Promise<PlayerEvent[]> {
  if (changeIds.length === 0) return [];
  const params = new SqlParams(executor.dialect);
  const placeholders = changeIds.map((changeId) => params.add(changeId, "text")).join(", ");
  const at = timeColumn(executor.dialect, "at");
  const rows = await executor.query<Record<string, unknown>>(
    `SELECT "id", "playerId", ${at}, "field", "delta", "before", "after", "beforeText", "afterText", "reason", "detail", "actor", "requestId", "changeId", "playerVersion"
     FROM "PlayerEvent" WHERE "changeId" IN (${placeholders}) ORDER BY "id"`,
    params.values,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    playerId: String(row.playerId),
    at: toDate(row.at as string),
    field: String(row.field),
    delta: Number(row.delta),
    before: Number(row.before),
    after: Number(row.after),
    beforeText: (row.beforeText as string | null) ?? null,
    afterText: (row.afterText as string | null) ?? null,
    reason: row.reason as PlayerEvent["reason"],
    detail: (parseJson(row.detail) ?? null) as PlayerEvent["detail"],
    actor: String(row.actor),
    requestId: (row.requestId as string | null) ?? null,
    changeId: String(row.changeId),
    playerVersion: Number(row.playerVersion),
  }));
}
