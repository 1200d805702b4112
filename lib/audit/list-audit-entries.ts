import type { z } from "zod";
import type { auditQuery } from "../api/api-schemas.ts";
import type { Prisma } from "../persistence/generated/client.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";

export type AuditQuery = z.infer<typeof auditQuery>;

/** Staff actions, newest first, with the player's name for display. */
export async function listAuditEntries(db: PrismaClient, query: AuditQuery) {
  const where: Prisma.AuditEntryWhereInput = {};
  if (query.actor) where.actor = query.actor;
  if (query.action) where.action = query.action;
  if (query.playerId) where.playerId = query.playerId;
  if (query.since) where.at = { gte: query.since };
  if (query.cursor !== undefined) where.id = { lt: query.cursor };
  const rows = await db.auditEntry.findMany({ where, orderBy: { id: "desc" }, take: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const playerIds = [...new Set(page.flatMap((row) => (row.playerId ? [row.playerId] : [])))];
  const players = await db.player.findMany({ where: { id: { in: playerIds } }, select: { id: true, name: true } });
  const names = new Map(players.map((player) => [player.id, player.name]));
  return {
    items: page.map((row) => ({ ...row, playerName: row.playerId ? (names.get(row.playerId) ?? null) : null })),
    nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
  };
}
