import { AppError, StaleDataError } from "../errors/app-error.ts";
import { playerStateAt } from "../history/player-state-at.ts";
import type { StateAtQuery } from "../history/player-state-at.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { StatOperation } from "../persistence/player-update.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { statusForHealth } from "../players/health-rules.ts";
import { statValues } from "../persistence/player-record.ts";
import { storedStatValue } from "../stats/stat-definition.ts";
import { parseInput } from "../validation/parse-input.ts";
import { expectedVersionSchema, playerIdSchema, reasonSchema } from "./player-inputs.ts";

/** One stat's change in a restore or revert: now → after. */
export interface StatDiff {
  stat: string;
  now: number;
  after: number;
}

export interface RestorePreview {
  playerId: string;
  /** The version the preview was computed at: apply with it (If-Match). */
  version: number;
  /** The ledger event restored to (null: before the first change). */
  eventId: number | null;
  at: string | null;
  diff: StatDiff[];
}

/** The player's stored stats now (built-ins from their columns, declared stats with their defaults). */
async function currentStats(ctx: PersistenceContext, playerId: string): Promise<{ version: number; stats: Record<string, number> }> {
  const player = await ctx.db.player.findUnique({
    where: { id: playerId },
    select: { version: true, health: true, maxHealth: true, experiencePoints: true, level: true, stats: true },
  });
  if (!player) throw new AppError("player_not_found", `No player with id ${playerId}`, { extensions: { playerId } });
  const definitions = await ctx.stats.byKey();
  const holder = { ...player, stats: statValues(player.stats) };
  const stats = Object.fromEntries([...definitions.values()].map((definition) => [definition.key, storedStatValue(holder, definition)]));
  return { version: player.version, stats };
}

/**
 * What restoring the player to a moment (or to right after a ledger event) would change, stat by
 * stat. Level is left out: it follows experience.
 */
export async function previewRestore(ctx: PersistenceContext, playerId: string, to: StateAtQuery): Promise<RestorePreview> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const target = await playerStateAt(ctx, id, to);
  const current = await currentStats(ctx, id);
  const diff = Object.entries(target.stats)
    .filter(([stat, value]) => stat !== "level" && current.stats[stat] !== value)
    .map(([stat, after]) => ({ stat, now: current.stats[stat]!, after }));
  return { playerId: id, version: current.version, eventId: target.eventId, at: target.at, diff };
}

/**
 * Restores every stat to its value at the moment: one version-checked, audited write whose ledger
 * rows (reason "restore") name the event restored to. The rules still hold: values are checked
 * against today's bounds, and the dead are not healed by a restore (respawn first). A preview that
 * went stale gets 409 with the new diff.
 */
export async function restorePlayer(
  ctx: PersistenceContext,
  playerId: string,
  to: StateAtQuery,
  options: WriteOptions & { reason: string; expectedVersion: number },
): Promise<MutationResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const reason = parseInput(reasonSchema, options.reason, "reason");
  const expectedVersion = parseInput(expectedVersionSchema, options.expectedVersion, "expected version");
  const preview = await previewRestore(ctx, id, to);
  if (preview.version !== expectedVersion) throw staleWithDiff(id, expectedVersion, preview);
  if (preview.diff.length === 0) throw new AppError("invalid_input", "Nothing to restore: every stat already has that value", { issues: [{ path: "at", message: "no difference" }] });
  return applyDiff(ctx, id, preview.diff.map(({ stat, after }): StatOperation => ({ stat, op: "set", value: after })), {
    ...options,
    reason,
    expectedVersion,
    ledgerReason: "restore",
    detail: { restoredTo: preview.eventId, restoredToAt: preview.at, note: reason },
    audit: "player.restore",
    raisesHealth: preview.diff.some((change) => change.stat === "health" && change.after > change.now),
  }).catch(async (error: unknown) => {
    if (error instanceof StaleDataError) throw staleWithDiff(id, expectedVersion, await previewRestore(ctx, id, to));
    throw error;
  });
}

export interface RevertPreview {
  playerId: string;
  version: number;
  /** The changes reverted (one changeId, or every change of one request id). */
  changeIds: string[];
  diff: StatDiff[];
}

/** The inverse of one change, or of every change one request made: each stat moves back by its delta (clamped). */
export async function previewRevert(ctx: PersistenceContext, playerId: string, what: { changeId?: string; requestId?: string }): Promise<RevertPreview> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  if ((what.changeId === undefined) === (what.requestId === undefined)) {
    throw new AppError("invalid_input", "give exactly one of changeId or requestId", { issues: [{ path: "changeId", message: "give changeId or requestId" }] });
  }
  const rows = await ctx.db.playerEvent.findMany({
    where: { playerId: id, ...(what.changeId !== undefined ? { changeId: what.changeId } : { requestId: what.requestId }) },
    orderBy: { id: "asc" },
    take: 1_000,
    select: { field: true, delta: true, changeId: true, reason: true, actor: true, at: true },
  });
  if (rows.length === 0) throw new AppError("not_found", `Player ${id} has no ledger rows for ${what.changeId !== undefined ? `change ${what.changeId}` : `request ${what.requestId}`}`);
  if (what.requestId !== undefined) refuseSharedRequestId(what.requestId, rows);
  await refuseRevertedTwice(ctx, id, [...new Set(rows.map((row) => row.changeId))]);
  const stats = await ctx.stats.byKey();
  const deltas = new Map<string, number>();
  for (const row of rows) if (stats.has(row.field) && row.field !== "level") deltas.set(row.field, (deltas.get(row.field) ?? 0) - row.delta);
  const current = await currentStats(ctx, id);
  const diff = [...deltas.entries()].filter(([, delta]) => delta !== 0).map(([stat, delta]) => ({ stat, now: current.stats[stat]!, after: current.stats[stat]! + delta }));
  return { playerId: id, version: current.version, changeIds: [...new Set(rows.map((row) => row.changeId))], diff };
}

/**
 * One request's rows come from one caller within one request's lifetime. Rows under the same
 * X-Request-Id from several callers, or spread further apart than any request runs, are a reused
 * id (clients pick it): reverting "the request" would bundle unrelated changes. Revert by changeId.
 */
const ONE_REQUEST_SPAN_MS = 60_000;

function refuseSharedRequestId(requestId: string, rows: ReadonlyArray<{ actor: string; at: Date; changeId: string }>): void {
  const actors = [...new Set(rows.map((row) => row.actor))];
  const times = rows.map((row) => row.at.getTime());
  const spanMs = Math.max(...times) - Math.min(...times);
  if (actors.length === 1 && spanMs <= ONE_REQUEST_SPAN_MS) return;
  throw new AppError(
    "request_id_ambiguous",
    actors.length > 1
      ? `Request id ${requestId} was used by ${actors.length} callers (${actors.join(", ")}); revert its changes one by one with changeId`
      : `Request id ${requestId} was used over ${Math.round(spanMs / 1000)} s, longer than one request runs; revert its changes one by one with changeId`,
    { extensions: { requestId, actors, changeIds: [...new Set(rows.map((row) => row.changeId))] } },
  );
}

/**
 * A change is reverted at most once: a second revert would apply the inverse again (a −500 gold
 * purchase reverted three times gave 1,500 gold back). The revert rows name what they undid in
 * `detail.revertOf`. To redo a reverted change, revert the revert. Reverts are staff actions, so a
 * player's revert rows are few; they are read whole (distinct changes, newest first, bounded).
 */
const MAX_REVERTS_READ = 10_000;

async function refuseRevertedTwice(ctx: PersistenceContext, playerId: string, changeIds: string[]): Promise<void> {
  const reverts = await ctx.db.playerEvent.findMany({
    where: { playerId, reason: "revert" },
    distinct: ["changeId"],
    orderBy: { id: "desc" },
    take: MAX_REVERTS_READ,
    select: { changeId: true, at: true, actor: true, detail: true },
  });
  const wanted = new Set(changeIds);
  for (const revert of reverts) {
    const detail = revert.detail as { revertOf?: unknown } | null;
    const undone = Array.isArray(detail?.revertOf) ? detail.revertOf.filter((value): value is string => typeof value === "string") : [];
    const overlap = undone.filter((changeId) => wanted.has(changeId));
    if (overlap.length === 0) continue;
    throw new AppError("already_reverted", `Change ${overlap.join(", ")} was already reverted by change ${revert.changeId} (${revert.actor}, ${revert.at.toISOString()}); revert that change to redo it`, {
      extensions: { changeIds: overlap, revertChangeId: revert.changeId, revertedAt: revert.at.toISOString(), revertedBy: revert.actor },
    });
  }
}

/** Applies the inverse as signed deltas (clamped like any add); ledger rows say what they revert. */
export async function revertChange(
  ctx: PersistenceContext,
  playerId: string,
  what: { changeId?: string; requestId?: string },
  options: WriteOptions & { reason: string; expectedVersion: number },
): Promise<MutationResult> {
  const reason = parseInput(reasonSchema, options.reason, "reason");
  const expectedVersion = parseInput(expectedVersionSchema, options.expectedVersion, "expected version");
  const preview = await previewRevert(ctx, playerId, what);
  if (preview.version !== expectedVersion) throw staleWithDiff(preview.playerId, expectedVersion, preview);
  if (preview.diff.length === 0) throw new AppError("invalid_input", "Nothing to revert: the change moved no stat", { issues: [{ path: "changeId", message: "no stat change" }] });
  return applyDiff(ctx, preview.playerId, preview.diff.map(({ stat, now, after }): StatOperation => ({ stat, op: "add", value: after - now })), {
    ...options,
    reason,
    expectedVersion,
    ledgerReason: "revert",
    detail: { revertOf: preview.changeIds, ...(what.requestId ? { requestId: what.requestId } : {}), note: reason },
    audit: "player.revert",
    raisesHealth: preview.diff.some((change) => change.stat === "health" && change.after > change.now),
  }).catch(async (error: unknown) => {
    if (error instanceof StaleDataError) throw staleWithDiff(preview.playerId, expectedVersion, await previewRevert(ctx, playerId, what));
    throw error;
  });
}

async function applyDiff(
  ctx: PersistenceContext,
  playerId: string,
  operations: StatOperation[],
  options: WriteOptions & { reason: string; expectedVersion: number; ledgerReason: "restore" | "revert"; detail: Record<string, unknown>; audit: string; raisesHealth: boolean },
): Promise<MutationResult> {
  if (options.raisesHealth) {
    const row = await ctx.db.player.findUnique({ where: { id: playerId }, select: { health: true } });
    if (row && statusForHealth(row.health, ctx.healthFloor) === "dead") {
      throw new AppError("player_dead", `Player ${playerId} is dead (health ${row.health}); respawn them before restoring health`, { extensions: { playerId, health: row.health } });
    }
  }
  return runPlayerUpdate(ctx, "restore", {
    playerId,
    expectedVersion: options.expectedVersion,
    operations,
    // Checked again by the statement: nothing can kill the player between the check above and the write.
    requireAlive: options.raisesHealth,
    context: { reason: options.ledgerReason, actor: options.actor, requestId: options.requestId, detail: options.detail, audit: options.audit, note: options.reason },
    touchActivity: false,
  });
}

function staleWithDiff(playerId: string, expectedVersion: number, preview: { version: number; diff: StatDiff[] }): StaleDataError {
  const error = new StaleDataError(playerId, expectedVersion, preview.version);
  // The new diff travels with the 409, so the page can show what applying now would do.
  Object.assign(error.extensions, { diff: preview.diff });
  return error;
}
