import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { PlayerUpdate } from "../persistence/player-update.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { parseInput } from "../validation/parse-input.ts";
import { amountSchema, playerIdSchema, sourceOptionsSchema } from "./player-inputs.ts";
import type { SourceOptions } from "./player-inputs.ts";

/** health + amount, clamped at maxHealth. A dead player is not healed (player_dead: respawn instead). */
export async function healPlayer(
  ctx: PersistenceContext,
  playerId: string,
  amount: number,
  details: SourceOptions,
  options: WriteOptions & { at?: Date },
): Promise<MutationResult> {
  return runPlayerUpdate(ctx, "heal", healUpdate(playerId, amount, details, options));
}

/** The statement's description (validated); a batch runs the same one inside its transaction. */
export function healUpdate(playerId: string, amount: number, details: SourceOptions, options: WriteOptions & { at?: Date; expectedVersion?: number }): PlayerUpdate {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const healing = parseInput(amountSchema, amount, "amount");
  const { source } = parseInput(sourceOptionsSchema, details, "heal details");
  return {
    playerId: id,
    expectedVersion: options.expectedVersion,
    operations: [{ stat: "health", op: "add", value: healing }],
    // Checked by the statement itself, so no damage can slip in between a check and the heal.
    requireAlive: true,
    context: { reason: "heal", actor: options.actor, requestId: options.requestId, at: options.at, detail: { amount: healing, source } },
    touchActivity: options.actor.kind === "service",
  };
}
