import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { parseInput } from "../validation/parse-input.ts";
import { playerIdSchema } from "./player-inputs.ts";

/**
 * Archives a player (DELETE /api/v1/players/{id}) or brings one back: one write through the same
 * statement as every other, so the ledger gets an 'archive' row (version +1, hash-chained) and a
 * staff caller's audit row comes from the trigger. An archived player keeps its ledger, stays
 * readable by id and verifiable by the integrity check, drops out of lists and search, and refuses
 * every write but "unarchive" (410 player_archived, from the statement's WHERE).
 */
export async function setPlayerArchived(
  ctx: PersistenceContext,
  playerId: string,
  action: "archive" | "unarchive",
  options: WriteOptions & { note?: string },
): Promise<MutationResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  return runPlayerUpdate(ctx, "archive", {
    playerId: id,
    operations: [],
    lifecycle: action,
    context: {
      reason: "archive",
      actor: options.actor,
      requestId: options.requestId,
      detail: { action, ...(options.note ? { note: options.note } : {}) },
      audit: `player.${action}`,
      note: options.note,
    },
    touchActivity: false,
  });
}
