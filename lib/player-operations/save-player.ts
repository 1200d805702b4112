import { AppError } from "../errors/app-error.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { StatOperation } from "../persistence/player-update.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { parseInput } from "../validation/parse-input.ts";
import { expectedVersionSchema, playerIdSchema, playerNameKey, savePlayerSchema } from "./player-inputs.ts";
import type { SavePlayerInput } from "./player-inputs.ts";

/** Fields of a player's representation that a save may carry back but never writes. */
const readOnlyFields = ["id", "version", "level", "status", "createdAt", "updatedAt", "lastActiveAt", "archivedAt", "testTag"] as const;

/**
 * Whole-object save, allowed only with the version it was read at. A stale version throws
 * StaleDataError and changes nothing — the original bug (an XP path saving a stale copy over
 * fresher health) ends here. Accepts exactly what a read returned: read-only fields are ignored
 * (the version is checked), and stats not mentioned keep their values. Changed stats, name and room
 * get "save" ledger rows from the trigger; staff saves are audited.
 */
export async function savePlayer(
  ctx: PersistenceContext,
  playerId: string,
  player: SavePlayerInput | object,
  expectedVersion: number,
  options: WriteOptions,
): Promise<MutationResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const version = parseInput(expectedVersionSchema, expectedVersion, "expected version");
  const writable = withoutReadOnlyFields(id, player);
  const input = parseInput(savePlayerSchema, writable, "player");
  const stats = await ctx.stats.byKey();
  const unknown = Object.keys(input.stats ?? {}).filter((key) => !stats.has(key) || stats.get(key)!.builtin);
  if (unknown.length > 0) {
    throw new AppError("invalid_input", `Unknown stats: ${unknown.join(", ")}`, {
      issues: unknown.map((key) => ({ path: `stats.${key}`, message: stats.get(key)?.builtin ? "is a built-in: use the top-level field" : "is not a declared stat" })),
    });
  }
  // Every stat is written with its bounds checked by the statement (health against the new maxHealth).
  const operations: StatOperation[] = [
    { stat: "maxHealth", op: "set", value: input.maxHealth, record: false },
    { stat: "health", op: "set", value: input.health, record: false },
    { stat: "experience", op: "set", value: input.experiencePoints, record: false },
    ...Object.entries(input.stats ?? {}).map(([stat, value]): StatOperation => ({ stat, op: "set", value, record: false })),
  ];
  return runPlayerUpdate(ctx, "save", {
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
  });
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
