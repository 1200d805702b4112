import { z } from "zod";
import type { Actor, PersistenceContext } from "./persistence-context.ts";
import { queryInteger } from "../http/query-params.ts";
import { unavailableError } from "./prisma-errors.ts";

/*
 * Every whole-save attempt leaves a row (issue 21): the support agent working "my health went back
 * to 100" can see "the game server saved version 1 with health 100 at 02:46:56, merged". The table is
 * bounded: every PRUNE_EVERY inserts, rows older than the newest SAVE_ATTEMPTS_KEPT are deleted.
 */
export const SAVE_ATTEMPTS_KEPT = 10_000;
const PRUNE_EVERY = 100;

export const saveOutcomes = ["applied", "merged", "refused"] as const;
export type SaveOutcome = (typeof saveOutcomes)[number];

export interface SaveAttemptFields {
  fromSave?: string[];
  keptFromOthers?: string[];
  combined?: string[];
  conflicts?: string[];
}

interface SaveAttemptFacts {
  playerId: string;
  baseVersion: number;
  currentVersion: number | null;
  resultVersion: number | null;
  outcome: SaveOutcome;
  code: string | null;
  fields: SaveAttemptFields;
}

export interface SaveAttemptRecord extends SaveAttemptFacts {
  actor: Actor;
  requestId?: string;
}

export interface SaveAttempt extends SaveAttemptFacts {
  id: number;
  at: string;
  actor: string;
  actorKind: string;
  requestId: string | null;
}

/** Stores one attempt (after the save's own statement committed or was refused) and prunes now and then. */
export async function recordSaveAttempt(ctx: PersistenceContext, record: SaveAttemptRecord): Promise<void> {
  const row = await ctx.db.saveAttempt.create({
    data: {
      playerId: record.playerId,
      baseVersion: record.baseVersion,
      currentVersion: record.currentVersion,
      resultVersion: record.resultVersion,
      outcome: record.outcome,
      code: record.code,
      fields: record.fields as object,
      actor: record.actor.name,
      actorKind: record.actor.kind,
      requestId: record.requestId ?? null,
    },
    select: { id: true },
  });
  if (row.id % PRUNE_EVERY === 0) await ctx.db.saveAttempt.deleteMany({ where: { id: { lte: row.id - SAVE_ATTEMPTS_KEPT } } });
}

export const listSaveAttemptsSchema = z.strictObject({
  outcome: z.enum(saveOutcomes).optional(),
  limit: queryInteger("limit", { min: 1, max: 500, description: "Page size, at most 500" }).default(50),
  /** The id of the last attempt of the previous page (pages go newest first). */
  cursor: queryInteger("cursor", { min: 1, max: Number.MAX_SAFE_INTEGER, description: "nextCursor of the previous page" }).optional(),
});
export type ListSaveAttemptsQuery = z.input<typeof listSaveAttemptsSchema>;

export interface SaveAttemptPage {
  items: SaveAttempt[];
  nextCursor: string | null;
}

/** Newest first; one player's (playerId given) or the whole server's, optionally by outcome. */
export async function listSaveAttempts(ctx: PersistenceContext, filter: { playerId?: string; outcome?: SaveOutcome; limit: number; cursor?: number }): Promise<SaveAttemptPage> {
  try {
    const rows = await ctx.db.saveAttempt.findMany({
      where: { playerId: filter.playerId, outcome: filter.outcome, id: filter.cursor === undefined ? undefined : { lt: filter.cursor } },
      orderBy: { id: "desc" },
      take: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map((row) => ({
        id: row.id,
        at: row.at.toISOString(),
        playerId: row.playerId,
        baseVersion: row.baseVersion,
        currentVersion: row.currentVersion,
        resultVersion: row.resultVersion,
        outcome: row.outcome as SaveOutcome,
        code: row.code,
        fields: (row.fields ?? {}) as SaveAttemptFields,
        actor: row.actor,
        actorKind: row.actorKind,
        requestId: row.requestId,
      })),
      nextCursor: rows.length > filter.limit ? String(page[page.length - 1]!.id) : null,
    };
  } catch (error) {
    ctx.metrics.recordError("read");
    ctx.logger.error({ module: "persistence", operation: "read", err: error }, "listing save attempts failed");
    throw unavailableError(error) ?? error;
  }
}
