import { z } from "zod";
import { AppError, StaleDataError, playerNotFound } from "../errors/app-error.ts";
import type { GameRules } from "../stats/game-rules.ts";
import { playerStateAt } from "../history/player-state-at.ts";
import { fieldEventsSince } from "../persistence/field-events-since.ts";
import { loadPlayer } from "../persistence/get-player.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { Player } from "../persistence/player-record.ts";
import type { PlayerUpdate, StatOperation } from "../persistence/player-update.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { recordSaveAttempt } from "../persistence/save-attempts.ts";
import type { SaveAttemptRecord } from "../persistence/save-attempts.ts";
import { planMerge } from "./merge-save.ts";
import type { FieldConflict, MergeBase, MergeSummary } from "./merge-save.ts";
import { parseInput } from "../validation/parse-input.ts";
import { expectedVersionSchema, playerIdSchema, playerNameKey, savePlayerSchema } from "./player-inputs.ts";
import type { SavePlayerInput } from "./player-inputs.ts";

/** Fields of a player's representation that a save may carry back but never writes (level: unless the game owns it). */
const readOnlyFields = ["id", "version", "level", "status", "createdAt", "updatedAt", "lastActiveAt", "archivedAt", "testTag"] as const;

/** How a save that named an old version is treated: merged (the default) or refused as before (`Prefer: merge=none`). */
export type SaveMergeMode = "three-way" | "none";

export interface SaveOptions extends WriteOptions {
  merge?: SaveMergeMode;
}

export interface SaveResult extends MutationResult {
  /** Present when the save named an old version and was merged over the writes since. */
  merge?: MergeSummary;
}

/**
 * A merge recomputed this often at most when other writes keep landing between its read and its
 * write; then it is refused (409) rather than holding the request longer (bounded work).
 */
const MERGE_ATTEMPTS = 4;

/**
 * Whole-object save of what a read returned. Read-only fields are ignored (the version is checked),
 * and stats not mentioned keep their values. A save at the current version writes the body as is.
 * A save naming an older version is merged field by field over what changed since (merge-save.ts):
 * the original bug (an XP path saving a stale copy over fresher health) ends with both changes kept.
 * A field conflict, a pruned base or `merge: "none"` refuses with 409 and changes nothing; the
 * refusal lists each conflicting field with the ledger events behind it. Every attempt is recorded
 * (SaveAttempt). Changed fields get "save" ledger rows from the trigger; staff saves are audited.
 */
export async function savePlayer(
  ctx: PersistenceContext,
  playerId: string,
  player: SavePlayerInput | object,
  expectedVersion: number,
  options: SaveOptions,
): Promise<SaveResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const version = parseInput(expectedVersionSchema, expectedVersion, "expected version");
  const writable = withoutReadOnlyFields(id, player);
  const input = parseInput(savePlayerSchema, writable, "player");
  const stats = await ctx.stats.byKey();
  const rules = await ctx.stats.rules();
  const ownedLevel = gameOwnedLevel(rules, player);
  const unknown = Object.keys(input.stats ?? {}).filter((key) => !stats.has(key) || stats.get(key)!.builtin);
  if (unknown.length > 0) {
    throw new AppError("invalid_input", `Unknown stats: ${unknown.join(", ")}`, {
      issues: unknown.map((key) => ({ path: `stats.${key}`, message: stats.get(key)?.builtin ? "is a built-in: use the top-level field" : "is not a declared stat" })),
    });
  }
  const attempt = { playerId: id, baseVersion: version, actor: options.actor, requestId: options.requestId };
  let current: Player | null = null;
  try {
    try {
      // The common case costs one statement: the save is current and written as it is.
      const result = await runPlayerUpdate(ctx, "save", plainSave(id, version, input, ownedLevel, options));
      await record(ctx, { ...attempt, currentVersion: version, resultVersion: result.player.version, outcome: "applied", code: null, fields: {} });
      return result;
    } catch (error) {
      if (!(error instanceof StaleDataError)) throw error;
    }
    for (let round = 1; ; round += 1) {
      current = await loadPlayer(ctx, id);
      if (!current) throw playerNotFound(id);
      if (current.version < version) throw new StaleDataError(id, version, current.version);
      const base = await mergeBase(ctx, id, version, current.version);
      const strict = options.merge === "none";
      const plan = planMerge(input, base, current, stats, rules, strict);
      // A game-owned level is the game's to say: the save's level applies when it changed it since the base.
      if (ownedLevel !== undefined && ownedLevel !== base.stats.level) plan.operations.push({ stat: "level", op: "set", value: ownedLevel, record: false });
      if (strict || plan.conflicts.length > 0) throw await conflictError(ctx, id, version, current.version, plan.conflicts, strict);
      try {
        const result = await runPlayerUpdate(ctx, "save", {
          playerId: id,
          expectedVersion: current.version,
          operations: plan.operations,
          fields: plan.fields,
          context: { reason: "save", actor: options.actor, requestId: options.requestId, audit: "player.save", detail: { merge: { baseVersion: version, mode: "three-way", ...pickLists(plan.summary) } } },
          touchActivity: options.actor.kind === "service",
          staleHandledByCaller: true,
        });
        await record(ctx, { ...attempt, currentVersion: current.version, resultVersion: result.player.version, outcome: "merged", code: null, fields: pickLists(plan.summary) });
        return { ...result, merge: plan.summary };
      } catch (error) {
        if (!(error instanceof StaleDataError) || round >= MERGE_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    if (error instanceof AppError && (error.code === "stale_version" || error.code === "history_pruned")) {
      ctx.metrics.staleSavesRefused += 1;
      ctx.logger.warn({ module: "persistence", operation: "save", playerId: id, requestId: options.requestId, expectedVersion: version, currentVersion: current?.version, code: error.code }, "stale save refused");
      const conflicts = Array.isArray(error.extensions.conflicts) ? (error.extensions.conflicts as Array<{ field: string }>).map((conflict) => conflict.field) : [];
      await record(ctx, { ...attempt, currentVersion: current?.version ?? null, resultVersion: null, outcome: "refused", code: error.code, fields: { conflicts } });
    }
    throw error;
  }
}

function plainSave(id: string, version: number, input: SavePlayerInput, ownedLevel: number | undefined, options: SaveOptions): PlayerUpdate {
  // Every stat is written with its bounds checked by the statement (health against the new maxHealth).
  const operations: StatOperation[] = [
    { stat: "maxHealth", op: "set", value: input.maxHealth, record: false },
    { stat: "health", op: "set", value: input.health, record: false },
    { stat: "experience", op: "set", value: input.experiencePoints, record: false },
    ...Object.entries(input.stats ?? {}).map(([stat, value]): StatOperation => ({ stat, op: "set", value, record: false })),
    ...(ownedLevel === undefined ? [] : [{ stat: "level", op: "set", value: ownedLevel, record: false } satisfies StatOperation]),
  ];
  return {
    playerId: id,
    expectedVersion: version,
    operations,
    fields: {
      name: input.name,
      nameKey: playerNameKey(input.name),
      currentRoomId: input.currentRoomId ?? null,
      professionId: input.professionId ?? null,
      attributes: input.attributes,
      inventory: input.inventory,
      statusEffects: input.statusEffects,
    },
    context: { reason: "save", actor: options.actor, requestId: options.requestId, audit: "player.save" },
    touchActivity: options.actor.kind === "service",
    // A stale save merges; only the final outcome is counted and logged (savePlayer).
    staleHandledByCaller: true,
  };
}

const pickLists = (summary: MergeSummary) => ({ fromSave: summary.fromSave, keptFromOthers: summary.keptFromOthers, combined: summary.combined });

/** The state the save read, from the ledger; a pruned base cannot be merged over (409, not 410: the save conflicts). */
async function mergeBase(ctx: PersistenceContext, id: string, version: number, currentVersion: number): Promise<MergeBase> {
  try {
    return await playerStateAt(ctx, id, { version });
  } catch (error) {
    if (error instanceof AppError && error.code === "history_pruned") {
      throw new AppError("history_pruned", `Player ${id} is at version ${currentVersion}; the history back to version ${version} was pruned, so this save cannot be merged: re-read the player and save again`, {
        status: 409,
        extensions: { ...error.extensions, expectedVersion: version, currentVersion },
      });
    }
    throw error;
  }
}

/** The 409 of a whole save: which fields conflict, their three values and the events that changed them. */
async function conflictError(ctx: PersistenceContext, id: string, version: number, currentVersion: number, conflicts: FieldConflict[], strict: boolean): Promise<StaleDataError> {
  const events = await fieldEventsSince(ctx, id, conflicts.map((conflict) => conflict.ledgerField), version);
  const listed = conflicts.map((conflict) => ({
    field: conflict.field,
    base: conflict.base,
    yours: conflict.yours,
    theirs: conflict.theirs,
    ...(conflict.note ? { note: conflict.note } : {}),
    events: events.get(conflict.ledgerField) ?? [],
  }));
  const fields = conflicts.map((conflict) => conflict.field).join(", ");
  const message = strict
    ? `Player ${id} is at version ${currentVersion}, not ${version}${fields ? `; changed since: ${fields}` : ""}; re-read it and apply your change again (merge=none)`
    : `Player ${id} is at version ${currentVersion}, not ${version}, and ${fields} changed on both sides; re-read it and decide`;
  return new StaleDataError(id, version, currentVersion, { message, extensions: { conflicts: listed } });
}

/** The attempt's record is kept after its answer is decided; failing to store it is logged, never hidden, and does not undo the save. */
async function record(ctx: PersistenceContext, attempt: SaveAttemptRecord): Promise<void> {
  ctx.metrics.recordSave(attempt.outcome);
  try {
    await recordSaveAttempt(ctx, attempt);
  } catch (error) {
    ctx.logger.error({ module: "persistence", operation: "save", playerId: attempt.playerId, requestId: attempt.requestId, err: error }, "could not record a save attempt");
  }
}

/**
 * The level a save carries, when the game owns its level (rules: level mode "game"): then it is
 * written like any stat (1 … MAX_LEVEL, refused outside). Under a derived level it stays read-only.
 */
function gameOwnedLevel(rules: GameRules, player: unknown): number | undefined {
  if (rules.level.mode !== "game" || typeof player !== "object" || player === null || !("level" in player)) return undefined;
  return parseInput(z.number({ error: "level must be a number" }).int("level must be a whole number"), (player as { level: unknown }).level, "level");
}

/** Drops the representation's read-only members; an `id` that names another player is a mistake, not something to ignore. */
function withoutReadOnlyFields(id: string, player: unknown): unknown {
  if (typeof player !== "object" || player === null || Array.isArray(player)) return player;
  const record = { ...(player as Record<string, unknown>) };
  if (record.id !== undefined && record.id !== id) {
    throw new AppError("invalid_input", `The body is player ${String(record.id)}, not ${id}`, { issues: [{ path: "id", message: "does not match the URL" }] });
  }
  for (const field of readOnlyFields) delete record[field];
  return record;
}

/**
 * The version a whole save names: If-Match, or the `version` of the representation sent back.
 * Neither is 428 (a save must say what it read); both, disagreeing, is a mistake (422).
 */
export function expectedVersionForSave(ifMatch: number | undefined, bodyVersion: number | undefined): number {
  if (ifMatch !== undefined && bodyVersion !== undefined && ifMatch !== bodyVersion) {
    throw new AppError("invalid_input", `If-Match names version ${ifMatch} but the body says version ${bodyVersion}`, {
      issues: [{ path: "version", message: "disagrees with If-Match" }],
    });
  }
  const version = ifMatch ?? bodyVersion;
  if (version === undefined) {
    throw new AppError("precondition_required", "A whole-object save must name the version it read: send If-Match or include version in the body");
  }
  return version;
}
