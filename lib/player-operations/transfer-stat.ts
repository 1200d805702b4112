import { randomUUID } from "node:crypto";
import { AppError } from "../errors/app-error.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { PlayerUpdate } from "../persistence/player-update.ts";
import { parseInput } from "../validation/parse-input.ts";
import { transferChangeSchema } from "./change-inputs.ts";
import type { TransferChange } from "./change-inputs.ts";

/**
 * A transfer moves `amount` of a declared stat from one player to another: two statements (one per
 * player) in the batch's transaction, each an exact add that is refused — not clamped — when the
 * giver would fall below the stat's minimum or the receiver rise above its maximum. Either refusal
 * rolls both back, so the amount is never half-moved. Both ledger rows carry the same transferId:
 * the integrity check proves that every transfer's rows sum to zero.
 */
export async function transferUpdates(
  ctx: PersistenceContext,
  input: Omit<TransferChange, "op"> & { op?: "transfer" },
  options: WriteOptions & { note?: string },
): Promise<[PlayerUpdate, PlayerUpdate]> {
  const { stat, amount, fromPlayerId, toPlayerId, source } = parseInput(transferChangeSchema, { ...input, op: "transfer" }, "transfer");
  const definition = (await ctx.stats.byKey()).get(stat);
  if (!definition || definition.builtin) {
    const message = definition ? `${stat} is built in; only declared stats can be transferred` : `unknown stat ${stat}`;
    throw new AppError("invalid_input", `Invalid transfer: ${message}`, { issues: [{ path: "stat", message }] });
  }
  const transferId = randomUUID();
  const leg = (playerId: string, counterparty: string, delta: number): PlayerUpdate => ({
    playerId,
    operations: [{ stat, op: "add", value: delta, exact: true }],
    context: {
      reason: "transfer",
      actor: options.actor,
      requestId: options.requestId,
      detail: { transferId, stat, amount, from: fromPlayerId, to: toPlayerId, counterparty, ...(source ? { source } : {}), ...(options.note ? { note: options.note } : {}) },
      audit: options.actor.kind === "staff" ? "player.transfer" : undefined,
      note: options.note,
    },
    touchActivity: options.actor.kind === "service",
  });
  return [leg(fromPlayerId, toPlayerId, -amount), leg(toPlayerId, fromPlayerId, amount)];
}
