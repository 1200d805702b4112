import { performance } from "node:perf_hooks";
import { AppError } from "../errors/app-error.ts";
import { levelUnderRule } from "../stats/game-rules.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import { playerSelect, toPlayer } from "../persistence/player-record.ts";
import type { Player } from "../persistence/player-record.ts";
import { isUniqueViolation, unavailableError } from "../persistence/prisma-errors.ts";
import { initialStatValues } from "../stats/stat-definition.ts";
import { parseInput } from "../validation/parse-input.ts";
import { createPlayerSchema, playerNameKey } from "./player-inputs.ts";
import type { CreatePlayerInput } from "./player-inputs.ts";

/**
 * Creates a player at version 1. Health defaults to maxHealth; level follows from XP; every declared
 * stat starts at its default unless given, within its bounds.
 */
export async function createPlayer(ctx: PersistenceContext, input: CreatePlayerInput, options: WriteOptions): Promise<Player> {
  const data = parseInput(createPlayerSchema, input, "player");
  const rules = await ctx.stats.rules();
  if (data.health !== undefined && data.health < rules.healthFloor) {
    throw new AppError("invalid_input", `health must be at least ${rules.healthFloor}`, {
      issues: [{ path: "health", message: `must be at least ${rules.healthFloor}` }],
    });
  }
  const health = data.health ?? data.maxHealth;
  // A level the game owns starts at 1; a derived one follows the XP under the game's rule.
  const level = levelUnderRule(rules.level, data.experiencePoints) ?? 1;
  const stats = await initialStats(ctx, data.stats, { health, maxHealth: data.maxHealth, experience: data.experiencePoints, level });
  const started = performance.now();
  try {
    const row = await ctx.db.player.create({
      data: {
        ...data,
        // A test-players token can only make test players (lib/auth/token-scope.ts).
        testTag: data.testTag ?? (options.actor.testPlayersOnly ? options.actor.name : null),
        nameKey: playerNameKey(data.name),
        stats,
        health,
        level,
      },
      select: playerSelect,
    });
    const player = toPlayer(row, rules.deathAt);
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

/** Declared stats at their defaults, overridden by what the caller gave — each within its live bounds. */
export async function initialStats(ctx: PersistenceContext, given: Record<string, number>, builtins: { health: number; maxHealth: number; experience: number; level: number }): Promise<Record<string, number>> {
  const definitions = await ctx.stats.byKey();
  const issues: Array<{ path: string; message: string }> = [];
  for (const key of Object.keys(given)) {
    const definition = definitions.get(key);
    if (!definition || definition.builtin) issues.push({ path: `stats.${key}`, message: definition ? "is a built-in: use the top-level field" : "is not a declared stat" });
    // The conservation check counts every player as starting at the default: anything more is minted.
    else if (definition.conserved && given[key] !== definition.default)
      issues.push({ path: `stats.${key}`, message: `is conserved: players start at ${definition.default}; add more with a declared source` });
  }
  if (issues.length === 0) {
    const initial = initialStatValues(definitions, given, builtins);
    issues.push(...initial.issues);
    if (issues.length === 0) return initial.values;
  }
  throw new AppError("invalid_input", `Invalid stats: ${issues.map((issue) => `${issue.path} ${issue.message}`).join("; ")}`, { issues });
}
