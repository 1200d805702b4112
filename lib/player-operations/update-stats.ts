import { AppError } from "../errors/app-error.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { PlayerUpdate, StatOperation } from "../persistence/player-update.ts";
import type { StatDefinition } from "../stats/stat-definition.ts";
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
  const staff = options.actor.kind === "staff";
  return runPlayerUpdate(ctx, staff ? "correction" : "stat", await statsUpdate(ctx, playerId, update, options));
}

/** The statement's description (validated against the declared stats); a batch runs the same one inside its transaction. */
export async function statsUpdate(ctx: PersistenceContext, playerId: string, update: StatUpdate, options: UpdateStatsOptions): Promise<PlayerUpdate> {
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
  changes.forEach((change, index) => assertConservedChange(stats.get(change.stat)!, change, source, `changes.${index}`));

  const operations: StatOperation[] = changes.map((change) => ({ stat: change.stat, op: change.op, value: change.value }));
  const raisesHealth = changes.some((change) => change.stat === "health" && (change.op === "set" || change.value > 0));
  return {
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
  };
}

/**
 * A conserved stat (gold) moves between players by transfer only; it enters or leaves the game
 * only through the reasons the operator declared: an increase names a declared source (loot), a
 * decrease a declared sink (shop, tax). `set` cannot say which, so it is refused.
 */
function assertConservedChange(definition: StatDefinition, change: { op: "add" | "set"; value: number }, source: string | undefined, path: string): void {
  if (!definition.conserved) return;
  const declared = change.op === "add" && change.value > 0 ? definition.sources : definition.sinks;
  const kind = change.op === "add" && change.value > 0 ? "source" : "sink";
  if (change.op === "add" && change.value !== 0 && source !== undefined && declared.includes(source)) return;
  const message =
    change.op === "set"
      ? `${definition.key} is conserved: it cannot be set; move it with a transfer or add it with a declared source or sink`
      : `${definition.key} is conserved: ${change.value > 0 ? "an increase" : "a decrease"} needs "source" naming a declared ${kind} (${declared.join(", ") || "none declared"}), or use a transfer`;
  throw new AppError("conserved_stat", message, { issues: [{ path, message }], extensions: { stat: definition.key, sources: definition.sources, sinks: definition.sinks } });
}
