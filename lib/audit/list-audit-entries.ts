import type { z } from "zod";
import type { auditQuery } from "../api/api-schemas.ts";
import type { Prisma } from "../persistence/generated/client.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";

export type AuditQuery = z.infer<typeof auditQuery>;

/**
 * Staff actions, newest first by time (then id), with the player's name for display. Ids follow
 * insertion, not `at` (the seed and imports write past moments), so ordering by id put rows out of
 * time order; the cursor therefore carries the last row's moment and id.
 */
export async function listAuditEntries(db: PrismaClient, query: AuditQuery) {
  const where: Prisma.AuditEntryWhereInput = {};
  const and: Prisma.AuditEntryWhereInput[] = [];
  if (query.actor) where.actor = query.actor;
  if (query.action) where.action = query.action;
  if (query.playerId) where.playerId = query.playerId;
  if (query.player) {
    // An id or an exact name; a name nobody has matches nothing (not every player).
    const found = await db.player.findFirst({ where: { OR: [{ id: query.player }, { name: query.player }] }, select: { id: true } });
    and.push({ playerId: found?.id ?? query.player });
  }
  if (query.since || query.until) where.at = { ...(query.since ? { gte: query.since } : {}), ...(query.until ? { lt: query.until } : {}) };
  if (query.cursor !== undefined) {
    const [ms, id] = query.cursor.split(".").map(Number) as [number, number];
    const at = new Date(ms);
    and.push({ OR: [{ at: { lt: at } }, { at, id: { lt: id } }] });
  }
  if (and.length > 0) where.AND = and;
  const rows = await db.auditEntry.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], take: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const playerIds = [...new Set(page.flatMap((row) => (row.playerId ? [row.playerId] : [])))];
  const players = await db.player.findMany({ where: { id: { in: playerIds } }, select: { id: true, name: true } });
  const names = new Map(players.map((player) => [player.id, player.name]));
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({ ...row, playerName: row.playerId ? (names.get(row.playerId) ?? null) : null })),
    nextCursor: rows.length > query.limit && last ? `${last.at.getTime()}.${last.id}` : null,
  };
}
