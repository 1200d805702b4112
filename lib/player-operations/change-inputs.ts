import { z } from "zod";
import { statKeySchema } from "../stats/stat-definition.ts";
import {
  amountSchema,
  damageOptionsSchema,
  expectedVersionSchema,
  playerIdSchema,
  reasonSchema,
  sourceOptionsSchema,
  statChangeSchema,
} from "./player-inputs.ts";

/**
 * A batch of changes (POST /api/v1/changes). Each change is the body of its single route plus `op`
 * and `playerId`, built from the same schemas, so a batch refuses exactly what the single routes
 * refuse. The rules beyond shape (declared stats, conserved stats, the dead) are the operations'
 * own, run per change.
 */
export const MAX_BATCH_CHANGES = 1_000;

const target = { playerId: playerIdSchema, expectedVersion: expectedVersionSchema.optional() };

export const transferChangeSchema = z
  .strictObject({
    op: z.literal("transfer"),
    stat: statKeySchema,
    amount: amountSchema,
    fromPlayerId: playerIdSchema,
    toPlayerId: playerIdSchema,
    source: sourceOptionsSchema.shape.source,
  })
  .refine((change) => change.fromPlayerId !== change.toPlayerId, { message: "a transfer needs two different players", path: ["toPlayerId"] });
export type TransferChange = z.infer<typeof transferChangeSchema>;

export const changeSchema = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("damage"), ...target, amount: amountSchema, ...damageOptionsSchema.shape }),
  z.strictObject({ op: z.literal("heal"), ...target, amount: amountSchema, ...sourceOptionsSchema.shape }),
  z.strictObject({ op: z.literal("experience"), ...target, amount: amountSchema, ...sourceOptionsSchema.shape }),
  z.strictObject({
    op: z.literal("stats"),
    ...target,
    // Counted again (and each stat once) by statUpdateSchema when the change is prepared.
    changes: z.array(statChangeSchema).min(1, "give at least one change").max(32, "at most 32 changes in one call"),
    ...sourceOptionsSchema.shape,
  }),
  z.strictObject({ op: z.literal("respawn"), ...target }),
  transferChangeSchema,
]);
export type Change = z.infer<typeof changeSchema>;

export const changeBatchSchema = z.strictObject({
  mode: z.enum(["atomic", "independent"], { error: "mode must be atomic or independent" }),
  /** Staff batches need one; it is stored on every audit row of the batch. */
  reason: reasonSchema.optional(),
  /** The default `source` of every change that names none. */
  source: sourceOptionsSchema.shape.source,
  changes: z.array(changeSchema).min(1, "give at least one change").max(MAX_BATCH_CHANGES, `at most ${MAX_BATCH_CHANGES} changes in one batch`),
});
export type ChangeBatch = z.input<typeof changeBatchSchema>;
