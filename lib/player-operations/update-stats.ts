import { AppError } from "../errors/app-error.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { StatOperation } from "../persistence/player-update.ts";
import { runPlayerUpdate } from "../persistence/run-player-update.ts";
import type { MutationResult } from "../persistence/run-player-update.ts";
import { parseInput } from "../validation/parse-input.ts";
import { expectedVersionSchema, playerIdSchema, statUpdateSchema } from "./player-inputs.ts";
import type { StatUpdate } from "./player-inputs.ts";

export interface UpdateStatsOptions extends WriteOptions {
  /** If-Match: refuse unless the player is at this version. */
  expectedVersion?: number;
  at?: Date;
}

/**
 * Atomic changes of any declared stats, all or nothing, in one statement and one version bump:
 * `add` is a signed delta clamped to the stat's bounds, `set` is refused outside them. A spell that
 * costs 10 mana and heals 15 is `[{ stat: "mana", op: "add", value: -10 }, { stat: "health", op: "add", value: 15 }]`.
 *
 * Rules kept from the built-ins: level follows experience and cannot be written; health cannot be
 * raised on the dead (respawn first). Staff changes are corrections: they need a reason and are
 * audited.
 */
export async function updateStats(ctx: PersistenceContext, playerId: string, update: StatUpdate, options: UpdateStatsOptions): Promise<MutationResult> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const { changes, reason, source } = parseInput(statUpdateSchema, update, "stat update");
  const expectedVersion =
    options.expectedVersion === undefined ? undefined : parseInput(expectedVersionSchema, options.expectedVersion, "expected version");
  const staff = options.actor.kind === "staff";
  if (staff && !reason) {
    throw new AppError("invalid_input", "Staff stat changes are corrections and need a reason", { issues: [{ path: "reason", message: "is required for staff" }] });
  }
  const stats = await ctx.stats.byKey();
  const rules = await ctx.stats.rules();
  const issues = changes.flatMap((change, index) => {
    if (!stats.has(change.stat)) return [{ path: `changes.${index}.stat`, message: `unknown stat ${change.stat}; declared: ${[...stats.keys()].join(", ")}` }];
    if (change.stat === "level" && rules.level.mode !== "game") return [{ path: `changes.${index}.stat`, message: "level follows experience; change experience instead" }];
    return [];
  });
  if (issues.length > 0) throw new AppError("invalid_input", `Invalid stat update: ${issues.map((issue) => issue.message).join("; ")}`, { issues });

  const operations: StatOperation[] = changes.map((change) => ({ stat: change.stat, op: change.op, value: change.value }));
  const raisesHealth = changes.some((change) => change.stat === "health" && (change.op === "set" || change.value > 0));
  return runPlayerUpdate(ctx, staff ? "correction" : "stat", {
    playerId: id,
    expectedVersion,
    operations,
    requireAlive: raisesHealth,
    context: {
      reason: staff ? "correction" : "stat",
      actor: options.actor,
      requestId: options.requestId,
      at: options.at,
      detail: { changes, ...(source ? { source } : {}), ...(reason ? { note: reason } : {}) },
      audit: staff ? "player.stat_correction" : undefined,
      note: reason,
    },
    touchActivity: options.actor.kind === "service",
  });
}
