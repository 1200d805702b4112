import { AppError } from "../errors/app-error.ts";
import { levelForExperience } from "../players/level-curve.ts";
import type { PersistenceContext, WriteOptions } from "./persistence-context.ts";
import { expectedVersionSchema, parseInput, playerIdSchema, savePlayerSchema } from "./player-inputs.ts";
import type { SavePlayerInput } from "./player-inputs.ts";
import { playerSelect } from "./player-record.ts";
import { runPlayerWrite } from "./player-write.ts";
import type { LedgerChange, MutationResult } from "./player-write.ts";

/**
 * Whole-object save, allowed only with the version it was read at. A stale version throws
 * StaleDataError and changes nothing — the original bug (an XP path saving a stale copy over
 * fresher health) ends here. Changed health/XP/level get "save" ledger rows.
 */
export async function savePlayer(
  ctx: PersistenceContext,
  playerId: string,
  player: SavePlayerInput,
  expectedVersion: number,
  options: WriteOptions,
): Promise<MutationResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const input = parseInput(savePlayerSchema, pickSaveFields(player), "player");
  const version = parseInput(expectedVersionSchema, expectedVersion, "expected version");
  if (input.health > input.maxHealth || input.health < ctx.healthFloor) {
    throw new AppError("invalid_input", `health must be between ${ctx.healthFloor} and maxHealth (${input.maxHealth})`, {
      issues: [{ path: "health", message: `must be between ${ctx.healthFloor} and ${input.maxHealth}` }],
    });
  }
  return runPlayerWrite(ctx, {
    operation: "save",
    playerId: id,
    options,
    expectedVersion: version,
    apply: async (tx, locked) => {
      const level = levelForExperience(input.experiencePoints);
      // The compare-and-set in runPlayerWrite holds the lock and proved nobody wrote since the
      // caller's read, so writing the whole object cannot overwrite anyone's change.
      const row = await tx.player.update({ where: { id }, data: { ...input, level }, select: playerSelect });
      const changes: LedgerChange[] = [];
      const compare = (field: LedgerChange["field"], before: number, after: number) => {
        if (before !== after) changes.push({ field, before, after, reason: "save" });
      };
      compare("health", locked.health, input.health);
      compare("experience", locked.experiencePoints, input.experiencePoints);
      compare("level", locked.level, level);
      if (changes.length === 0) {
        // Still one row, so every version bump is explained by the ledger.
        changes.push({ field: "health", before: locked.health, after: locked.health, reason: "save", detail: { unchanged: true } });
      }
      return { changes, row };
    },
  });
}

/** Lets callers pass a whole Player (with id, version, status…) and keeps only the writable fields. */
function pickSaveFields(player: SavePlayerInput): unknown {
  if (typeof player !== "object" || player === null) return player;
  const { name, currentRoomId, professionId, experiencePoints, health, maxHealth, attributes, inventory, statusEffects } = player;
  return { name, currentRoomId, professionId, experiencePoints, health, maxHealth, attributes, inventory, statusEffects };
}
