import { addHealthClamped } from "./clamped-updates.ts";
import type { PersistenceContext, WriteOptions } from "./persistence-context.ts";
import { amountSchema, damageOptionsSchema, parseInput, playerIdSchema } from "./player-inputs.ts";
import type { DamageOptions } from "./player-inputs.ts";
import { runPlayerWrite } from "./player-write.ts";
import type { MutationResult } from "./player-write.ts";

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
  const id = parseInput(playerIdSchema, playerId, "player id");
  const damage = parseInput(amountSchema, amount, "amount");
  const { damageType, source } = parseInput(damageOptionsSchema, details, "damage details");
  return runPlayerWrite(ctx, {
    operation: "damage",
    playerId: id,
    options,
    at: options.at,
    apply: async (tx, locked) => {
      const after = await addHealthClamped(tx, id, -damage, ctx.healthFloor);
      return [{ field: "health", before: locked.health, after, reason: "damage", detail: { amount: damage, damageType, source } }];
    },
  });
}
