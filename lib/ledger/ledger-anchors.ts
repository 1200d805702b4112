import type { PersistenceContext } from "../persistence/persistence-context.ts";
import type { Prisma } from "../persistence/generated/client.ts";
import { baseMessage, checkpointMessage } from "./ledger-signing.ts";
import type { LedgerSigner } from "./ledger-signing.ts";

/**
 * The ledger's two anchors: the prune base (what a prune summed up) and the integrity check's
 * checkpoint (what it verified). Both tables are append-only (migration 20261204180000_signed_ledger):
 * the latest row per player counts, and each row carries Pnakotic's signature.
 */
const baseOrder = [{ throughEventId: "desc" }, { id: "desc" }] satisfies Prisma.LedgerBaseOrderByWithRelationInput[];
const checkpointOrder = [{ lastEventId: "desc" }, { id: "desc" }] satisfies Prisma.LedgerCheckpointOrderByWithRelationInput[];

export const baseSelect = {
  id: true,
  playerId: true,
  throughEventId: true,
  throughAt: true,
  version: true,
  state: true,
  chainHead: true,
  prunedRows: true,
  prunedAt: true,
  prunedBy: true,
  signature: true,
} as const;
export type StoredBase = Prisma.LedgerBaseGetPayload<{ select: typeof baseSelect }>;

export const checkpointSelect = { id: true, playerId: true, lastEventId: true, version: true, state: true, chainHead: true, rowsThrough: true, verifiedAt: true, signature: true } as const;
export type StoredCheckpoint = Prisma.LedgerCheckpointGetPayload<{ select: typeof checkpointSelect }>;

/** The player's current prune base, or null when nothing was pruned. */
export async function latestBase(ctx: Pick<PersistenceContext, "db">, playerId: string): Promise<StoredBase | null> {
  return ctx.db.ledgerBase.findFirst({ where: { playerId }, orderBy: baseOrder, select: baseSelect });
}

/** Latest row per player among `ids` (each table keeps a few rows per player: one read per batch). */
async function latestPerPlayer<T extends { playerId: string }>(rows: Promise<T[]>): Promise<Map<string, T>> {
  const latest = new Map<string, T>();
  for (const row of await rows) if (!latest.has(row.playerId)) latest.set(row.playerId, row);
  return latest;
}

export function latestBases(ctx: Pick<PersistenceContext, "db">, ids: string[]): Promise<Map<string, StoredBase>> {
  return latestPerPlayer(ctx.db.ledgerBase.findMany({ where: { playerId: { in: ids } }, orderBy: [{ playerId: "asc" }, ...baseOrder], select: baseSelect }));
}

export function latestCheckpoints(ctx: Pick<PersistenceContext, "db">, ids: string[]): Promise<Map<string, StoredCheckpoint>> {
  return latestPerPlayer(ctx.db.ledgerCheckpoint.findMany({ where: { playerId: { in: ids } }, orderBy: [{ playerId: "asc" }, ...checkpointOrder], select: checkpointSelect }));
}

const asState = (state: unknown) => (typeof state === "object" && state !== null && !Array.isArray(state) ? (state as Record<string, unknown>) : {});

export function baseSignatureValid(signer: LedgerSigner, base: Omit<StoredBase, "id" | "throughAt" | "prunedBy">): boolean {
  return signer.verify(baseMessage({ ...base, state: asState(base.state) }), base.signature);
}

export function checkpointSignatureValid(signer: LedgerSigner, checkpoint: StoredCheckpoint): boolean {
  return signer.verify(checkpointMessage({ ...checkpoint, state: asState(checkpoint.state) }), checkpoint.signature);
}

export interface NewCheckpoint {
  playerId: string;
  lastEventId: number;
  version: number;
  state: Record<string, number>;
  chainHead: string | null;
  rowsThrough: number;
}

/**
 * Appends signed checkpoints, and drops each player's superseded ones (the trigger allows deleting a
 * checkpoint only once a later one exists), so the table holds about one row per player.
 */
export async function appendCheckpoints(ctx: PersistenceContext, checkpoints: NewCheckpoint[]): Promise<void> {
  if (checkpoints.length === 0) return;
  const verifiedAt = new Date();
  await ctx.db.ledgerCheckpoint.createMany({
    data: checkpoints.map((checkpoint) => ({ ...checkpoint, verifiedAt, signature: ctx.ledgerSigner.sign(checkpointMessage({ ...checkpoint, verifiedAt })) })),
  });
  const latest = await latestCheckpoints(ctx, checkpoints.map((checkpoint) => checkpoint.playerId));
  await ctx.db.ledgerCheckpoint.deleteMany({
    where: { OR: [...latest.values()].map((row) => ({ playerId: row.playerId, id: { lt: row.id } })) },
  });
}
