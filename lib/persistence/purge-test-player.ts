import { performance } from "node:perf_hooks";
import { AppError, playerNotFound } from "../errors/app-error.ts";
import type { PersistenceContext, WriteOptions } from "./persistence-context.ts";
import { unavailableError } from "./prisma-errors.ts";

export interface PlayerPurgeRecord {
  playerId: string;
  playerName: string;
  testTag: string;
  ledgerRows: number;
  lastEventHash: string | null;
  purgedAt: Date;
  purgedBy: string;
}

/**
 * The one place a player and its ledger are deleted. Only test players (a testTag set at creation)
 * qualify. In one transaction: the tombstone (PlayerPurge) first — the ledger's delete triggers let a
 * tagged player's rows go only once it exists — then the ledger rows, the prune base, the integrity
 * checkpoint and the player, and an audit row (`player.purge`). The integrity report lists the
 * tombstones as purges, so a vanished ledger is never mistaken for tampering.
 *
 * Kept as one function on purpose: new append-only rules (triggers, signed checkpoints) need one
 * path to allow, and this is it.
 */
export async function purgeTestPlayer(ctx: PersistenceContext, playerId: string, options: WriteOptions & { note?: string }): Promise<PlayerPurgeRecord> {
  const started = performance.now();
  try {
    const record = await ctx.db.$transaction(async (tx) => {
      // Lock the row first (PostgreSQL): a write racing the purge either lands before it (its rows
      // are deleted with the rest) or waits and then finds no player. SQLite transactions serialize.
      if (ctx.dialect === "postgresql") await tx.$queryRawUnsafe(`SELECT "id" FROM "Player" WHERE "id" = $1 FOR UPDATE`, playerId);
      const player = await tx.player.findUnique({ where: { id: playerId }, select: { id: true, name: true, testTag: true, version: true } });
      if (!player) throw playerNotFound(playerId);
      if (player.testTag === null) {
        throw new AppError("not_a_test_player", `Player ${playerId} was not created as a test player (no testTag); archive it instead (DELETE /api/v1/players/${playerId})`, {
          extensions: { playerId },
        });
      }
      const last = await tx.playerEvent.findFirst({ where: { playerId }, orderBy: { id: "desc" }, select: { hash: true } });
      const ledgerRows = await tx.playerEvent.count({ where: { playerId } });
      const purge = await tx.playerPurge.create({
        data: {
          playerId,
          playerName: player.name,
          testTag: player.testTag,
          ledgerRows,
          lastEventHash: last?.hash ?? null,
          purgedAt: new Date(),
          purgedBy: options.actor.name,
          requestId: options.requestId ?? null,
        },
        select: { playerId: true, playerName: true, testTag: true, ledgerRows: true, lastEventHash: true, purgedAt: true, purgedBy: true },
      });
      await tx.playerEvent.deleteMany({ where: { playerId } });
      await tx.ledgerBase.deleteMany({ where: { playerId } });
      await tx.ledgerCheckpoint.deleteMany({ where: { playerId } });
      await tx.player.delete({ where: { id: playerId }, select: { id: true } });
      await tx.auditEntry.create({
        data: {
          actor: options.actor.name,
          action: "player.purge",
          playerId,
          before: { name: player.name, testTag: player.testTag, version: player.version, ledgerRows },
          after: { purged: true, lastEventHash: purge.lastEventHash },
          reason: options.note ?? `test player ${player.testTag}`,
          requestId: options.requestId ?? null,
        },
        select: { id: true },
      });
      return { purge, version: player.version };
    });
    // Committed: no cache may keep serving the player. Other instances hear it on the bus.
    ctx.cache.invalidate(playerId, "write");
    await ctx.bus.publish({ playerId, version: record.version + 1, origin: ctx.instanceId }).catch((error: unknown) => {
      ctx.logger.error({ module: "cache", err: error, playerId, requestId: options.requestId }, "could not publish a purged player's invalidation; other instances rely on their TTL");
    });
    ctx.metrics.recordWrite("purge", performance.now() - started);
    return record.purge;
  } catch (error) {
    if (error instanceof AppError) throw error;
    ctx.metrics.recordError("purge");
    const unavailable = unavailableError(error);
    ctx.logger[unavailable ? "warn" : "error"]({ module: "persistence", operation: "purge", playerId, err: error, requestId: options.requestId }, "player purge failed");
    throw unavailable ?? error;
  }
}

/** Purges since `since`, newest first (the integrity report shows them beside its findings). */
export async function listPlayerPurges(ctx: PersistenceContext, since: Date, limit: number): Promise<PlayerPurgeRecord[]> {
  return ctx.db.playerPurge.findMany({
    where: { purgedAt: { gte: since } },
    orderBy: { id: "desc" },
    take: limit,
    select: { playerId: true, playerName: true, testTag: true, ledgerRows: true, lastEventHash: true, purgedAt: true, purgedBy: true },
  });
}
