import type { PersistenceContext } from "../persistence/persistence-context.ts";

/** "Online" = active (a game-server write) within this window. */
export const ONLINE_WINDOW_MS = 5 * 60_000;

export interface OverviewSummary {
  playersTotal: number;
  playersOnline: number;
  playersDead: number;
  playersMortallyWounded: number;
  errorsLastHour: number;
  healthFloor: number;
}

/** The dashboard's tiles that are not cache counters: player counts and the error count. */
export async function overviewSummary(ctx: PersistenceContext, now = new Date()): Promise<OverviewSummary> {
  const floor = ctx.healthFloor;
  const [playersTotal, playersOnline, playersDead, playersMortallyWounded, errorsLastHour] = await Promise.all([
    ctx.db.player.count(),
    ctx.db.player.count({ where: { lastActiveAt: { gte: new Date(now.getTime() - ONLINE_WINDOW_MS) } } }),
    ctx.db.player.count({ where: { health: { lte: floor } } }),
    ctx.db.player.count({ where: { health: { gt: floor, lte: 0 } } }),
    ctx.db.errorLogEntry.count({ where: { at: { gte: new Date(now.getTime() - 3_600_000) } } }),
  ]);
  return { playersTotal, playersOnline, playersDead, playersMortallyWounded, errorsLastHour, healthFloor: floor };
}
