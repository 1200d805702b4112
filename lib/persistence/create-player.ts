import { performance } from "node:perf_hooks";
import { AppError } from "../errors/app-error.ts";
import { levelForExperience } from "../players/level-curve.ts";
import type { PersistenceContext, WriteOptions } from "./persistence-context.ts";
import { createPlayerSchema, parseInput } from "./player-inputs.ts";
import type { CreatePlayerInput } from "./player-inputs.ts";
import { playerSelect, toPlayer } from "./player-record.ts";
import type { Player } from "./player-record.ts";
import { isUniqueViolation, unavailableError } from "./prisma-errors.ts";

/** Creates a player at version 1. Health defaults to maxHealth; level follows from XP. */
export async function createPlayer(ctx: PersistenceContext, input: CreatePlayerInput, options: WriteOptions): Promise<Player> {
  const data = parseInput(createPlayerSchema, input, "player");
  if (data.health !== undefined && data.health < ctx.healthFloor) {
    throw new AppError("invalid_input", `health must be at least ${ctx.healthFloor}`, {
      issues: [{ path: "health", message: `must be at least ${ctx.healthFloor}` }],
    });
  }
  const started = performance.now();
  try {
    const row = await ctx.db.player.create({
      data: { ...data, health: data.health ?? data.maxHealth, level: levelForExperience(data.experiencePoints) },
      select: playerSelect,
    });
    const player = toPlayer(row, ctx.healthFloor);
    // A cached "not found" for this id (or a racing load) must not outlive the insert.
    ctx.cache.invalidate(player.id, "write");
    ctx.metrics.recordWrite("create", performance.now() - started);
    return player;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("already_exists", `A player named "${data.name}" already exists`, {
        issues: [{ path: "name", message: "is taken" }],
      });
    }
    ctx.metrics.recordError("create");
    ctx.logger.error({ module: "persistence", operation: "create", err: error, requestId: options.requestId }, "player create failed");
    throw unavailableError(error) ?? error;
  }
}
