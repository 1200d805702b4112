import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { PlayerUpdate } from "../persistence/player-update.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { parseInput } from "../validation/parse-input.ts";
import { amountSchema, playerIdSchema, sourceOptionsSchema } from "./player-inputs.ts";
import type { SourceOptions } from "./player-inputs.ts";

/**
 * experiencePoints + amount (capped); the level follows from the new XP in the same statement.
 * Touches no other field — this is the path that, in the original bug, wrote back a stale health.
 */
export async function gainExperience(
  ctx: PersistenceContext,
  playerId: string,
  amount: number,
  details: SourceOptions,
  options: WriteOptions & { at?: Date },
): Promise<MutationResult> {
  return runPlayerUpdate(ctx, "experience", experienceUpdate(playerId, amount, details, options));
}

/** The statement's description (validated); a batch runs the same one inside its transaction. */
export function experienceUpdate(playerId: string, amount: number, details: SourceOptions, options: WriteOptions & { at?: Date; expectedVersion?: number }): PlayerUpdate {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const experience = parseInput(amountSchema, amount, "amount");
  const { source } = parseInput(sourceOptionsSchema, details, "experience details");
  return {
    playerId: id,
    expectedVersion: options.expectedVersion,
    operations: [{ stat: "experience", op: "add", value: experience }],
    context: { reason: "experience", actor: options.actor, requestId: options.requestId, at: options.at, detail: { amount: experience, source } },
    touchActivity: options.actor.kind === "service",
  };
}
