import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { parseInput } from "../validation/parse-input.ts";
import { expectedVersionSchema, healthCorrectionSchema, playerIdSchema } from "./player-inputs.ts";
import type { HealthCorrection } from "./player-inputs.ts";

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
  return runPlayerUpdate(ctx, "correction", {
    playerId: id,
    expectedVersion,
    operations: ["health" in parsed ? { stat: "health", op: "set", value: parsed.health } : { stat: "health", op: "add", value: parsed.delta }],
    // Same rule as healing: the dead come back only by respawn (which the integrity check relies on).
    requireAlive: true,
    context: {
      reason: "correction",
      actor: options.actor,
      requestId: options.requestId,
      at: options.at,
      detail: "health" in parsed ? { set: parsed.health, note: parsed.reason } : { delta: parsed.delta, note: parsed.reason },
      audit: "player.health_correction",
      note: parsed.reason,
    },
    touchActivity: false,
  });
}
