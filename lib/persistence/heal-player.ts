import { AppError } from "../errors/app-error.ts";
import { statusForHealth } from "../players/health-rules.ts";
import { addHealthClamped } from "./clamped-updates.ts";
import type { PersistenceContext, WriteOptions } from "./persistence-context.ts";
import { amountSchema, parseInput, playerIdSchema, sourceOptionsSchema } from "./player-inputs.ts";
import type { SourceOptions } from "./player-inputs.ts";
import { runPlayerWrite } from "./player-write.ts";
import type { MutationResult } from "./player-write.ts";

/** health + amount, clamped at maxHealth. A dead player is not healed (respawn instead). */
export async function healPlayer(
  ctx: PersistenceContext,
  playerId: string,
  amount: number,
  details: SourceOptions,
  options: WriteOptions & { at?: Date },
): Promise<MutationResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const healing = parseInput(amountSchema, amount, "amount");
  const { source } = parseInput(sourceOptionsSchema, details, "heal details");
  return runPlayerWrite(ctx, {
    operation: "heal",
    playerId: id,
    options,
    at: options.at,
    apply: async (tx, locked) => {
      // Checked under the row lock, so no damage can slip in between the check and the heal.
      if (statusForHealth(locked.health, ctx.healthFloor) === "dead") {
        throw new AppError("player_dead", `Player ${id} is dead (health ${locked.health}); respawn them instead of healing`, {
          extensions: { playerId: id, health: locked.health },
        });
      }
      const after = await addHealthClamped(tx, id, healing, ctx.healthFloor);
      return [{ field: "health", before: locked.health, after, reason: "heal", detail: { amount: healing, source } }];
    },
  });
}
