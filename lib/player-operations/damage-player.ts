import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { PlayerUpdate } from "../persistence/player-update.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { parseInput } from "../validation/parse-input.ts";
import { amountSchema, damageOptionsSchema, playerIdSchema } from "./player-inputs.ts";
import type { DamageOptions } from "./player-inputs.ts";

/**
 * health − amount, clamped at the floor (dead). Damage to a player already at the floor is
 * recorded with delta 0: combat may go on after death, and the ledger says so.
 */
export async function damagePlayer(
  ctx: PersistenceContext,
  playerId: string,
  amount: number,
  details: DamageOptions,
  options: WriteOptions & { at?: Date },
): Promise<MutationResult> {
  return runPlayerUpdate(ctx, "damage", damageUpdate(playerId, amount, details, options));
}

/** The statement's description (validated); a batch runs the same one inside its transaction. */
export function damageUpdate(playerId: string, amount: number, details: DamageOptions, options: WriteOptions & { at?: Date; expectedVersion?: number }): PlayerUpdate {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const damage = parseInput(amountSchema, amount, "amount");
  const { damageType, source } = parseInput(damageOptionsSchema, details, "damage details");
  return {
    playerId: id,
    expectedVersion: options.expectedVersion,
    operations: [{ stat: "health", op: "add", value: -damage }],
    context: { reason: "damage", actor: options.actor, requestId: options.requestId, at: options.at, detail: { amount: damage, damageType, source } },
    touchActivity: options.actor.kind === "service",
  };
}
