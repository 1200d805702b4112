import { latestBase } from "./ledger-anchors.ts";
import { baseMessage } from "./ledger-signing.ts";
import { AppError } from "../errors/app-error.ts";
import { playerStateAt } from "../history/player-state-at.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { ChainVerifier, GENESIS, chainAlgorithmFor } from "./chain.ts";
import { pageChainRows } from "./chain-rows.ts";

/**
 * Retention (`npm run admin -- ledger prune --older-than 90d`): removes a player's ledger rows older
 * than a cutoff, after summing them up in LedgerBase — the full state right after the last removed
 * event and the chain head there — so state-at-a-moment, restore, the integrity check and `ledger
 * verify` keep working on what remains. The delete trigger refuses rows no base covers.
 */
export interface PrunePlanEntry {
  playerId: string;
  playerName: string;
  /** The last event to remove (a write boundary: a write's rows share one time). */
  throughEventId: number;
  throughAt: string;
  rows: number;
}

export interface PrunePlan {
  cutoff: string;
  players: PrunePlanEntry[];
  rows: number;
}

export interface PruneResult {
  players: number;
  rows: number;
  skipped: Array<{ playerId: string; playerName: string; reason: string }>;
}

/** Policies shorter than a day would prune what support is still looking at. */
export const MIN_RETENTION_DAYS = 1;

export function parseRetention(text: string): number {
  const match = /^(\d{1,5})d$/.exec(text.trim());
  const days = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS) {
    throw new AppError("invalid_input", `--older-than must be a whole number of days, at least ${MIN_RETENTION_DAYS}, like 90d (got "${text}")`);
  }
  return days;
}

/** What a prune with this cutoff would remove, per player. Changes nothing. */
export async function planPrune(ctx: PersistenceContext, cutoff: Date): Promise<PrunePlan> {
  const groups = await ctx.db.playerEvent.groupBy({ by: ["playerId"], where: { at: { lt: cutoff } }, _max: { id: true }, _count: { _all: true }, orderBy: { playerId: "asc" } });
  const names = new Map(
    (await ctx.db.player.findMany({ where: { id: { in: groups.map((group) => group.playerId) } }, select: { id: true, name: true } })).map((player) => [player.id, player.name]),
  );
  const players: PrunePlanEntry[] = [];
  for (const group of groups) {
    const through = await ctx.db.playerEvent.findUniqueOrThrow({ where: { id: group._max.id! }, select: { at: true } });
    players.push({ playerId: group.playerId, playerName: names.get(group.playerId) ?? group.playerId, throughEventId: group._max.id!, throughAt: through.at.toISOString(), rows: group._count._all });
  }
  return { cutoff: cutoff.toISOString(), players, rows: players.reduce((sum, entry) => sum + entry.rows, 0) };
}

/**
 * Applies a plan player by player. A player whose rows to remove do not verify against the chain is
 * skipped (and reported): pruning would destroy the evidence.
 */
export async function applyPrune(ctx: PersistenceContext, plan: PrunePlan, options: { actor: string; onProgress?: (done: number, total: number) => void }): Promise<PruneResult> {
  const algorithm = chainAlgorithmFor(ctx.dialect);
  const result: PruneResult = { players: 0, rows: 0, skipped: [] };
  for (const [index, entry] of plan.players.entries()) {
    const base = await latestBase(ctx, entry.playerId);
    const verifier = new ChainVerifier(algorithm, base?.chainHead ?? GENESIS);
    for await (const page of pageChainRows(ctx, { playerId: entry.playerId, afterId: base?.throughEventId ?? 0, throughId: entry.throughEventId })) {
      for (const row of page) verifier.push(row);
    }
    const chain = verifier.finish();
    if (chain.problems.length > 0) {
      result.skipped.push({ playerId: entry.playerId, playerName: entry.playerName, reason: `event ${chain.problems[0]!.eventId} does not match the hash chain; run the integrity check` });
      continue;
    }
    const state = await playerStateAt(ctx, entry.playerId, { event: entry.throughEventId });
    const fullState = { ...state.stats, name: state.name, room: state.room, profession: state.profession };
    const prunedAt = new Date();
    const deleted = await ctx.db.$transaction(async (tx) => {
      // The rows this prune removes, counted before the base that covers them exists (the delete
      // trigger refuses rows no base covers, so the base comes first and must already hold the count).
      const count = await tx.playerEvent.count({ where: { playerId: entry.playerId, id: { lte: entry.throughEventId } } });
      // A new, signed base (bases are append-only): the latest one is where the ledger starts.
      const summary = {
        playerId: entry.playerId,
        throughEventId: entry.throughEventId,
        version: state.version,
        state: fullState,
        chainHead: chain.head,
        prunedRows: (base?.prunedRows ?? 0) + count,
        prunedAt,
      };
      await tx.ledgerBase.create({
        data: { ...summary, throughAt: new Date(entry.throughAt), prunedBy: options.actor, signature: ctx.ledgerSigner.sign(baseMessage(summary)) },
        select: { id: true },
      });
      const removed = await tx.playerEvent.deleteMany({ where: { playerId: entry.playerId, id: { lte: entry.throughEventId } } });
      if (removed.count !== count) throw new Error(`prune of ${entry.playerId}: counted ${count} rows, removed ${removed.count}`);
      await tx.auditEntry.create({
        data: {
          actor: options.actor,
          action: "ledger.prune",
          playerId: entry.playerId,
          before: { previousBaseEvent: base?.throughEventId ?? null },
          after: { throughEventId: entry.throughEventId, throughAt: entry.throughAt, rowsRemoved: count, chainHead: chain.head },
          reason: `ledger rows before ${plan.cutoff}`,
        },
      });
      return count;
    });
    result.players += 1;
    result.rows += deleted;
    options.onProgress?.(index + 1, plan.players.length);
  }
  return result;
}
