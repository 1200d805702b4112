import { levelForExperience } from "../players/level-curve.ts";
import { addExperienceCapped } from "./clamped-updates.ts";
import type { PersistenceContext, WriteOptions } from "./persistence-context.ts";
import { amountSchema, parseInput, playerIdSchema, sourceOptionsSchema } from "./player-inputs.ts";
import type { SourceOptions } from "./player-inputs.ts";
import { runPlayerWrite } from "./player-write.ts";
import type { LedgerChange, MutationResult } from "./player-write.ts";

/**
 * experiencePoints + amount; the level follows from the new XP in the same transaction.
 * Touches no other field — this is the path that, in the original bug, wrote back a stale health.
 */
export async function gainExperience(
  ctx: PersistenceContext,
  playerId: string,
  amount: number,
  details: SourceOptions,
  options: WriteOptions & { at?: Date },
): Promise<MutationResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const experience = parseInput(amountSchema, amount, "amount");
  const { source } = parseInput(sourceOptionsSchema, details, "experience details");
  return runPlayerWrite(ctx, {
    operation: "experience",
    playerId: id,
    options,
    at: options.at,
    apply: async (tx, locked) => {
      const after = await addExperienceCapped(tx, id, experience);
      const changes: LedgerChange[] = [
        { field: "experience", before: locked.experiencePoints, after, reason: "experience", detail: { amount: experience, source } },
      ];
      const level = levelForExperience(after);
      if (level !== locked.level) {
        await tx.player.update({ where: { id }, data: { level }, select: { id: true } });
        changes.push({ field: "level", before: locked.level, after: level, reason: "experience", detail: { source } });
      }
      return changes;
    },
  });
}
