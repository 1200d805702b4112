import { performance } from "node:perf_hooks";
import { AppError } from "../errors/app-error.ts";
import { levelForExperience } from "../players/level-curve.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import { playerSelect, toPlayer } from "../persistence/player-record.ts";
import type { Player } from "../persistence/player-record.ts";
import { isUniqueViolation, unavailableError } from "../persistence/prisma-errors.ts";
import { parseInput } from "../validation/parse-input.ts";
import { createPlayerSchema, playerNameKey } from "./player-inputs.ts";
import type { CreatePlayerInput } from "./player-inputs.ts";

/**
 * Creates a player at version 1. Health defaults to maxHealth; level follows from XP; every declared
 * stat starts at its default unless given, within its bounds.
 */
export async function createPlayer(ctx: PersistenceContext, input: CreatePlayerInput, options: WriteOptions): Promise<Player> {
  const data = parseInput(createPlayerSchema, input, "player");
  if (data.health !== undefined && data.health < ctx.healthFloor) {
    throw new AppError("invalid_input", `health must be at least ${ctx.healthFloor}`, {
      issues: [{ path: "health", message: `must be at least ${ctx.healthFloor}` }],
    });
  }
  const stats = await initialStats(ctx, data.stats);
  const started = performance.now();
  try {
    const row = await ctx.db.player.create({
      data: {
        ...data,
        // A test-players token can only make test players (lib/auth/token-scope.ts).
        testTag: data.testTag ?? (options.actor.testPlayersOnly ? options.actor.name : null),
        nameKey: playerNameKey(data.name),
        stats,
        health: data.health ?? data.maxHealth,
        level: levelForExperience(data.experiencePoints),
      },
      select: playerSelect,
    });
    const player = toPlayer(row, ctx.healthFloor);
    // A cached "not found" for this id (or a racing load) must not outlive the insert.
    ctx.cache.invalidate(player.id, "write");
    ctx.metrics.recordWrite("create", performance.now() - started);
    return player;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("already_exists", `A player named "${data.name}" already exists (names are unique regardless of case)`, {
        issues: [{ path: "name", message: "is taken" }],
      });
    }
    ctx.metrics.recordError("create");
    const unavailable = unavailableError(error);
    ctx.logger[unavailable ? "warn" : "error"]({ module: "persistence", operation: "create", err: error, requestId: options.requestId }, "player create failed");
    throw unavailable ?? error;
  }
}

/** Declared stats at their defaults, overridden by what the caller gave — each within its bounds. */
async function initialStats(ctx: PersistenceContext, given: Record<string, number>): Promise<Record<string, number>> {
  const definitions = await ctx.stats.byKey();
  const values: Record<string, number> = {};
  const issues: Array<{ path: string; message: string }> = [];
  for (const key of Object.keys(given)) {
    const definition = definitions.get(key);
    if (!definition || definition.builtin) issues.push({ path: `stats.${key}`, message: definition ? "is a built-in: use the top-level field" : "is not a declared stat" });
  }
  for (const definition of definitions.values()) {
    if (definition.builtin) continue;
    values[definition.key] = given[definition.key] ?? definition.default;
  }
  for (const definition of definitions.values()) {
    if (definition.builtin) continue;
    const value = values[definition.key]!;
    const max = definition.maxStat !== null ? (values[definition.maxStat] ?? 0) : definition.max!;
    if (value < definition.min || value > max) {
      if (definition.key in given) issues.push({ path: `stats.${definition.key}`, message: `must be between ${definition.min} and ${max}` });
      else values[definition.key] = Math.min(Math.max(value, definition.min), max);
    }
  }
  if (issues.length > 0) throw new AppError("invalid_input", `Invalid stats: ${issues.map((issue) => `${issue.path} ${issue.message}`).join("; ")}`, { issues });
  return values;
}
