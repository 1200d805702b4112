import type { PersistenceContext } from "./persistence-context.ts";
import { unavailableError } from "./prisma-errors.ts";

export interface FieldEvent {
  id: number;
  reason: string;
  actor: string;
  at: string;
}

/** At most this many events per field in a conflict: enough to say who changed it, bounded work and body. */
export const FIELD_EVENTS_PER_CONFLICT = 10;

/**
 * The ledger events that changed each field after a version, newest last, at most
 * FIELD_EVENTS_PER_CONFLICT per field: what a 409 for a whole save shows, so the client can decide
 * without a second round trip. One indexed query per field ((playerId, field, id)); fields are few.
 */
export async function fieldEventsSince(ctx: PersistenceContext, playerId: string, fields: string[], version: number): Promise<Map<string, FieldEvent[]>> {
  const result = new Map<string, FieldEvent[]>();
  try {
    for (const field of new Set(fields)) {
      const rows = await ctx.db.playerEvent.findMany({
        where: { playerId, field, playerVersion: { gt: version } },
        orderBy: { id: "desc" },
        take: FIELD_EVENTS_PER_CONFLICT,
        select: { id: true, reason: true, actor: true, at: true },
      });
      result.set(field, rows.reverse().map((row) => ({ id: row.id, reason: row.reason, actor: row.actor, at: row.at.toISOString() })));
    }
    return result;
  } catch (error) {
    ctx.metrics.recordError("read");
    ctx.logger.error({ module: "persistence", operation: "read", playerId, err: error }, "reading the events behind a save conflict failed");
    throw unavailableError(error) ?? error;
  }
}
