import { performance } from "node:perf_hooks";
import { AppError } from "../errors/app-error.ts";
import type { PersistenceOperation } from "../metrics/persistence-metrics.ts";
import type { PersistenceContext } from "./persistence-context.ts";
import type { Player, PlayerEvent } from "./player-record.ts";
import type { PlayerUpdate } from "./player-update.ts";
import { unavailableError } from "./prisma-errors.ts";
import { afterCommit, applyPlayerUpdate, keptChanging, readChanges, recordApplied } from "./run-player-update.ts";
import { SqlParams } from "./sql-writer.ts";
import type { SqlTransaction } from "./sql-writer.ts";

/** One change of a batch as the operations prepared it: its statements (a transfer has two), or why it was refused. */
export type PreparedChange = { operation: PersistenceOperation; updates: PlayerUpdate[] } | { refused: AppError };

export type ChangeOutcome = { applied: true; players: Player[]; events: PlayerEvent[] } | { applied: false; error: AppError };

/** An atomic batch's refusal: the change's own error, naming the change. Nothing was applied. */
export function refusalOfChange(index: number, error: AppError): AppError {
  return new AppError(error.code, `change ${index}: ${error.message}`, {
    issues: error.issues.map((issue) => ({ path: `changes.${index}.${issue.path}`, message: issue.message })),
    extensions: { ...error.extensions, changeIndex: index },
    cause: error,
  });
}

const EVENT_READ_CHUNK = 500;

/** Inside the transaction an applied change also knows its statements' change ids (to read its ledger rows). */
type PendingOutcome = { applied: true; players: Player[]; events: PlayerEvent[]; changeIds: string[] } | { applied: false; error: AppError };

/**
 * Runs a batch of prepared changes in ONE transaction with one commit, each change still one
 * statement per player (the trigger writes its ledger rows). `atomic`: the first refusal rolls
 * everything back and is thrown with its changeIndex. `independent`: each change is applied or
 * refused on its own and the answer lists it in order. Anything that
 * is not a refusal (the database failing) aborts the whole batch: nothing is committed.
 * (`independent`: each change of several statements runs under a savepoint, so a refusal undoes
 * only that change; a one-statement change that is refused matched no row and wrote nothing.)
 *
 * PostgreSQL locks every row the batch touches up front, in id order, so two batches trading
 * between the same players cannot deadlock; SQLite's BEGIN IMMEDIATE serialises writers anyway.
 * Caches, the bus and the live stream hear once per player, after the commit.
 */
export async function runChangeBatch(ctx: PersistenceContext, mode: "atomic" | "independent", changes: PreparedChange[], requestId: string | undefined): Promise<ChangeOutcome[]> {
  const started = performance.now();
  changes.forEach((change, index) => {
    if (mode === "atomic" && "refused" in change) throw refusalOfChange(index, change.refused);
  });
  const stats = await ctx.stats.byKey();
  const rules = await ctx.stats.rules();
  try {
    const outcomes = await ctx.writer.transaction(async (tx) => {
      if (tx.dialect === "postgresql") await lockPlayers(tx, changes);
      const outcomes: PendingOutcome[] = [];
      for (const [index, change] of changes.entries()) {
        if ("refused" in change) {
          outcomes.push({ applied: false, error: change.refused });
          continue;
        }
        const apply = async (): Promise<{ players: Player[]; changeIds: string[] }> => {
          const players: Player[] = [];
          const changeIds: string[] = [];
          for (const update of change.updates) {
            // Rows are locked (PostgreSQL) or the database is (SQLite): a guard cannot move under us.
            const applied = await applyPlayerUpdate(tx, ctx, stats, rules, update);
            if (!applied) throw keptChanging(update.playerId);
            players.push(applied.player);
            changeIds.push(applied.changeId);
          }
          return { players, changeIds };
        };
        if (mode === "atomic") {
          try {
            outcomes.push({ applied: true, events: [], ...(await apply()) });
          } catch (error) {
            throw error instanceof AppError ? refusalOfChange(index, error) : error;
          }
        } else {
          try {
            // A refused statement matched no row and wrote nothing (a database error aborts the whole
            // batch anyway), so only a change of several statements — a transfer — needs a savepoint
            // to undo its first leg when the second is refused.
            outcomes.push({ applied: true, events: [], ...(await (change.updates.length > 1 ? tx.savepoint(apply) : apply())) });
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            outcomes.push({ applied: false, error });
          }
        }
      }
      await attachEvents(tx, outcomes);
      return outcomes;
    });
    await afterCommit(ctx, latestStates(outcomes), requestId);
    // Per-change latency for the write metrics: the batch's time shared among its changes.
    const perChange = (performance.now() - started) / changes.length;
    outcomes.forEach((outcome, index) => {
      const change = changes[index]!;
      if (outcome.applied && "operation" in change) recordApplied(ctx, change.operation, stats, outcome.events, perChange);
    });
    ctx.metrics.recordWrite("batch", performance.now() - started);
    return outcomes.map((outcome) => (outcome.applied ? { applied: true, players: outcome.players, events: outcome.events } : outcome));
  } catch (error) {
    if (error instanceof AppError) throw error;
    ctx.metrics.recordError("batch");
    const unavailable = unavailableError(error);
    ctx.logger[unavailable ? "warn" : "error"]({ module: "persistence", operation: "batch", mode, changes: changes.length, requestId, err: error }, "change batch failed; nothing was applied");
    throw unavailable ?? error;
  }
}

/** Locks the batch's players in id order (PostgreSQL), so concurrent batches queue instead of deadlocking. */
async function lockPlayers(tx: SqlTransaction, changes: PreparedChange[]): Promise<void> {
  const ids = [...new Set(changes.flatMap((change) => ("updates" in change ? change.updates.map((update) => update.playerId) : [])))].sort();
  if (ids.length === 0) return;
  const params = new SqlParams(tx.dialect);
  await tx.query(`SELECT "id" FROM "Player" WHERE "id" IN (${ids.map((id) => params.add(id, "text")).join(", ")}) ORDER BY "id" FOR UPDATE`, params.values);
}

/** Reads every applied change's ledger rows (in chunks) and hands each change its own. */
async function attachEvents(tx: SqlTransaction, outcomes: PendingOutcome[]): Promise<void> {
  const applied = outcomes.filter((outcome) => outcome.applied);
  const changeIds = applied.flatMap((outcome) => outcome.changeIds);
  const byChange = new Map<string, PlayerEvent[]>();
  for (let start = 0; start < changeIds.length; start += EVENT_READ_CHUNK) {
    for (const event of await readChanges(tx, changeIds.slice(start, start + EVENT_READ_CHUNK))) {
      byChange.set(event.changeId, [...(byChange.get(event.changeId) ?? []), event]);
    }
  }
  for (const outcome of applied) outcome.events = outcome.changeIds.flatMap((changeId) => byChange.get(changeId) ?? []);
}

/** Each player's state after the batch (a player changed twice is announced once, at its last version). */
function latestStates(outcomes: PendingOutcome[]): Player[] {
  const latest = new Map<string, Player>();
  for (const outcome of outcomes) if (outcome.applied) for (const player of outcome.players) if ((latest.get(player.id)?.version ?? 0) < player.version) latest.set(player.id, player);
  return [...latest.values()];
}
