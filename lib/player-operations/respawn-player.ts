import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { PlayerUpdate } from "../persistence/player-update.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { parseInput } from "../validation/parse-input.ts";
import { playerIdSchema } from "./player-inputs.ts";

/** health := maxHealth. The only way back from death. Staff respawns are audited (by the ledger trigger). */
export async function respawnPlayer(
  ctx: PersistenceContext,
  playerId: string,
  options: WriteOptions & { at?: Date; reason?: string },
): Promise<MutationResult> {
  return runPlayerUpdate(ctx, "respawn", respawnUpdate(playerId, options));
}

/** The statement's description (validated); a batch runs the same one inside its transaction. */
export function respawnUpdate(playerId: string, options: WriteOptions & { at?: Date; reason?: string; expectedVersion?: number }): PlayerUpdate {
  const id = parseInput(playerIdSchema, playerId, "player id");
  return {
    playerId: id,
    expectedVersion: options.expectedVersion,
    operations: [{ stat: "health", op: "copy", from: "maxHealth" }],
    context: {
      reason: "respawn",
      actor: options.actor,
      requestId: options.requestId,
      at: options.at,
      detail: options.reason ? { note: options.reason } : undefined,
      audit: "player.respawn",
      note: options.reason,
    },
    touchActivity: options.actor.kind === "service",
  };
}
