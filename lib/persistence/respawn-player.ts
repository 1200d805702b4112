import { restoreFullHealth } from "./clamped-updates.ts";
import type { PersistenceContext, WriteOptions } from "./persistence-context.ts";
import { parseInput, playerIdSchema } from "./player-inputs.ts";
import { runPlayerWrite } from "./player-write.ts";
import type { MutationResult } from "./player-write.ts";

/** health := maxHealth. The only way back from death. Staff respawns are audited. */
export async function respawnPlayer(
  ctx: PersistenceContext,
  playerId: string,
  options: WriteOptions & { at?: Date; reason?: string },
): Promise<MutationResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  return runPlayerWrite(ctx, {
    operation: "respawn",
    playerId: id,
    options,
    at: options.at,
    audit: options.actor.kind === "staff" ? { action: "player.respawn", reason: options.reason } : undefined,
    apply: async (tx, locked) => {
      const after = await restoreFullHealth(tx, id);
      return [{ field: "health", before: locked.health, after, reason: "respawn", detail: options.reason ? { note: options.reason } : undefined }];
    },
  });
}
