import { AppError } from "../errors/app-error.ts";
import { statusForHealth } from "../players/health-rules.ts";
import { addHealthClamped } from "./clamped-updates.ts";
import type { PersistenceContext, WriteOptions } from "./persistence-context.ts";
import { expectedVersionSchema, healthCorrectionSchema, parseInput, playerIdSchema } from "./player-inputs.ts";
import type { HealthCorrection } from "./player-inputs.ts";
import { runPlayerWrite } from "./player-write.ts";
import type { MutationResult } from "./player-write.ts";

export interface CorrectHealthOptions extends WriteOptions {
  /** The version the staff member was looking at (If-Match). Stale → StaleDataError, nothing changed. */
  expectedVersion?: number;
  at?: Date;
}

/**
 * A support correction: `{ health, reason }` sets a value (refused outside [floor, maxHealth]);
 * `{ delta, reason }` applies a change clamped like damage and healing. Always audited. A dead
 * player is not corrected (player_dead): respawn them.
 */
export async function correctHealth(
  ctx: PersistenceContext,
  playerId: string,
  correction: HealthCorrection,
  options: CorrectHealthOptions,
): Promise<MutationResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const parsed = parseInput(healthCorrectionSchema, correction, "correction");
  const expectedVersion =
    options.expectedVersion === undefined ? undefined : parseInput(expectedVersionSchema, options.expectedVersion, "expected version");
  return runPlayerWrite(ctx, {
    operation: "correction",
    playerId: id,
    options,
    at: options.at,
    expectedVersion,
    audit: { action: "player.health_correction", reason: parsed.reason },
    apply: async (tx, locked) => {
      // Same rule as healing: the dead come back only by respawn (which the integrity check relies on).
      if (statusForHealth(locked.health, ctx.healthFloor) === "dead") {
        throw new AppError("player_dead", `Player ${id} is dead (health ${locked.health}); respawn them instead of correcting health`, {
          extensions: { playerId: id, health: locked.health },
        });
      }
      let delta: number;
      if ("health" in parsed) {
        if (parsed.health > locked.maxHealth || parsed.health < ctx.healthFloor) {
          throw new AppError("invalid_input", `health must be between ${ctx.healthFloor} and ${locked.maxHealth} (maxHealth)`, {
            issues: [{ path: "health", message: `must be between ${ctx.healthFloor} and ${locked.maxHealth}` }],
          });
        }
        // Under the row lock `locked.health` is the current value, so this delta lands exactly on the target.
        delta = parsed.health - locked.health;
      } else {
        delta = parsed.delta;
      }
      const after = delta === 0 ? locked.health : await addHealthClamped(tx, id, delta, ctx.healthFloor);
      return [
        {
          field: "health",
          before: locked.health,
          after,
          reason: "correction",
          detail: "health" in parsed ? { set: parsed.health, note: parsed.reason } : { delta: parsed.delta, note: parsed.reason },
        },
      ];
    },
  });
}
