import { performance } from "node:perf_hooks";
import { AppError, StaleDataError, playerNotFound } from "../errors/app-error.ts";
import type { PersistenceOperation } from "../metrics/persistence-metrics.ts";
import type { StatDefinition } from "../stats/stat-definition.ts";
import { storedStatValue } from "../stats/stat-definition.ts";
import { statusForHealth } from "../players/health-rules.ts";
import type { PersistenceContext } from "./persistence-context.ts";
import { compilePlayerUpdate, timeColumn } from "./player-update.ts";
import type { PlayerUpdate } from "./player-update.ts";
import { statValues } from "./player-record.ts";
import type { JsonObject, Player, PlayerEvent } from "./player-record.ts";
import { isUniqueViolation, unavailableError } from "./prisma-errors.ts";

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
    for (let attempt = 1; ; attempt += 1) {
      const compiled = compilePlayerUpdate({ dialect: ctx.writer.dialect, stats, now: new Date() }, update, ctx.healthFloor);
      const rows = await ctx.writer.query<RawPlayerRow>(compiled.sql, compiled.params);
      if (rows.length === 1) {
        const player = rowToPlayer(rows[0]!, ctx.healthFloor);
        const events = await readChange(ctx, compiled.changeId);
        await afterCommit(ctx, player, update.context.requestId);
        ctx.metrics.recordWrite(operation, performance.now() - started);
        for (const event of events) if (stats.has(event.field)) ctx.metrics.recordStatChange(event.field, event.reason);
        const primary = update.operations.find((change) => change.record !== false)?.stat;
        return { player, event: events.find((event) => event.field === primary) ?? events[0]!, events };
      }
      await explainRefusal(ctx, update, stats);
      if (attempt >= ATTEMPTS) {
        throw new AppError("stale_version", `Player ${update.playerId} kept changing while this write was checked; try again`, {
          extensions: { playerId: update.playerId },
        });
      }
    }
  } catch (error) {
    throw failedWrite(ctx, operation, update, error);
  }
}

/** Throws the reason no row matched, or returns when the guards hold now (a concurrent write moved them: retry). */
async function explainRefusal(ctx: PersistenceContext, update: PlayerUpdate, stats: Map<string, StatDefinition>): Promise<void> {
  const rows = await ctx.writer.query<{ version: number; health: number; maxHealth: number; experiencePoints: number; level: number; stats: unknown; archived: number; testTag: string | null }>(
    `SELECT "version", "health", "maxHealth", "experiencePoints", "level", "stats", CASE WHEN "archivedAt" IS NULL THEN 0 ELSE 1 END AS "archived", "testTag" FROM "Player" WHERE "id" = ${ctx.writer.dialect === "sqlite" ? "@p1" : "$1"}`,
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
  if (update.requireAlive && statusForHealth(row.health, ctx.healthFloor) === "dead") {
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

export function playerArchived(playerId: string): AppError {
  return new AppError("player_archived", `Player ${playerId} is archived; an admin can bring it back (POST /api/v1/players/${playerId}/unarchive)`, {
    extensions: { playerId },
  });
}

/** Committed: make every cache forget the old state. A bus failure is logged, never hidden. */
async function afterCommit(ctx: PersistenceContext, player: Player, requestId: string | undefined): Promise<void> {
  ctx.cache.invalidate(player.id, "write", player.version);
  ctx.cache.offer(player.id, player);
  if (ctx.bus.announcedByDatabase) return; // PostgreSQL's trigger announced it with the commit
  try {
    await ctx.bus.publish({ playerId: player.id, version: player.version, origin: ctx.instanceId });
  } catch (error) {
    ctx.logger.error(
      { module: "cache", err: error, playerId: player.id, version: player.version, requestId },
      "could not publish a cache invalidation; other instances rely on their TTL until the bus recovers",
    );
  }
}

function failedWrite(ctx: PersistenceContext, operation: PersistenceOperation, update: PlayerUpdate, error: unknown): unknown {
  const log = { module: "persistence", operation, playerId: update.playerId, requestId: update.context.requestId };
  if (error instanceof StaleDataError || (error instanceof AppError && error.code === "stale_version")) {
    ctx.metrics.staleSavesRefused += 1;
    ctx.logger.warn({ ...log, ...(error instanceof StaleDataError ? { expectedVersion: error.expectedVersion, currentVersion: error.currentVersion } : {}) }, "stale write refused");
    return error;
  }
  // Caller mistakes (unknown player, invalid value, dead player) are answers, not failures.
  if (error instanceof AppError) return error;
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

export function rowToPlayer(row: RawPlayerRow, healthFloor: number): Player {
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
    status: statusForHealth(Number(row.health), healthFloor),
  };
}

/** The ledger rows one change appended, as the trigger wrote them. */
async function readChange(ctx: PersistenceContext, changeId: string): Promise<PlayerEvent[]> {
  const sqlite = ctx.writer.dialect === "sqlite";
  const at = timeColumn(ctx.writer.dialect, "at");
  const rows = await ctx.writer.query<Record<string, unknown>>(
    `SELECT "id", "playerId", ${at}, "field", "delta", "before", "after", "beforeText", "afterText", "reason", "detail", "actor", "requestId", "changeId", "playerVersion"
     FROM "PlayerEvent" WHERE "changeId" = ${sqlite ? "@p1" : "$1"} ORDER BY "id"`,
    [changeId],
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
