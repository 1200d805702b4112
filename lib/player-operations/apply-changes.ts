import { AppError } from "../errors/app-error.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import { runChangeBatch } from "../persistence/run-change-batch.ts";
import type { ChangeOutcome, PreparedChange } from "../persistence/run-change-batch.ts";
import { parseInput } from "../validation/parse-input.ts";
import { changeBatchSchema } from "./change-inputs.ts";
import type { Change, ChangeBatch } from "./change-inputs.ts";
import { damageUpdate } from "./damage-player.ts";
import { experienceUpdate } from "./gain-experience.ts";
import { healUpdate } from "./heal-player.ts";
import { respawnUpdate } from "./respawn-player.ts";
import { transferUpdates } from "./transfer-stat.ts";
import { statsUpdate } from "./update-stats.ts";

/** Ops that the single routes allow game servers only: staff change health through corrections. */
const serviceOnly = new Set<Change["op"]>(["damage", "heal", "experience"]);

/**
 * A combat round, a trade or a party's XP split: many changes across players in one transaction
 * and one commit (see runChangeBatch). Each change is prepared by its single operation's own
 * builder (the same validation, rules and statement); every ledger row carries the request id, so
 * `revert` by requestId undoes the round player by player. Staff batches need a reason; their
 * changes are audited by the ledger trigger, each audit row with the reason and the request id.
 */
export async function applyChanges(ctx: PersistenceContext, input: ChangeBatch, options: WriteOptions): Promise<ChangeOutcome[]> {
  const batch = parseInput(changeBatchSchema, input, "batch");
  const staff = options.actor.kind === "staff";
  if (staff && !batch.reason) {
    throw new AppError("invalid_input", "Staff batches are corrections and need a reason", { issues: [{ path: "reason", message: "is required for staff" }] });
  }
  const prepared: PreparedChange[] = [];
  for (const change of batch.changes) {
    try {
      prepared.push(await prepare(ctx, change, batch, options));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      prepared.push({ refused: error });
    }
  }
  return runChangeBatch(ctx, batch.mode, prepared, options.requestId);
}

async function prepare(ctx: PersistenceContext, change: Change, batch: { reason?: string; source?: string }, options: WriteOptions): Promise<PreparedChange> {
  if (options.actor.kind === "staff" && serviceOnly.has(change.op)) {
    throw new AppError("forbidden", `${change.op} is for game servers; staff change health and experience with a stats correction`);
  }
  const write = { ...options, expectedVersion: "expectedVersion" in change ? change.expectedVersion : undefined };
  const source = ("source" in change ? change.source : undefined) ?? batch.source;
  switch (change.op) {
    case "damage":
      return { operation: "damage", updates: [damageUpdate(change.playerId, change.amount, { damageType: change.damageType, source }, write)] };
    case "heal":
      return { operation: "heal", updates: [healUpdate(change.playerId, change.amount, { source }, write)] };
    case "experience":
      return { operation: "experience", updates: [experienceUpdate(change.playerId, change.amount, { source }, write)] };
    case "respawn":
      return { operation: "respawn", updates: [respawnUpdate(change.playerId, { ...write, reason: batch.reason })] };
    case "stats": {
      const staff = options.actor.kind === "staff";
      const update = await statsUpdate(ctx, change.playerId, { changes: change.changes, reason: batch.reason, source }, write);
      return { operation: staff ? "correction" : "stat", updates: [update] };
    }
    case "transfer":
      return { operation: "transfer", updates: await transferUpdates(ctx, { ...change, source }, { ...options, note: batch.reason }) };
  }
}
