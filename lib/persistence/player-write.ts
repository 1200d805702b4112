import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Prisma } from "./generated/client.ts";
import { AppError, StaleDataError, playerNotFound } from "../errors/app-error.ts";
import type { PersistenceOperation } from "../metrics/persistence-metrics.ts";
import type { PersistenceContext, WriteOptions } from "./persistence-context.ts";
import { playerEventSelect, playerSelect, toPlayer, toPlayerEvent } from "./player-record.ts";
import type { LedgerField, LedgerReason, Player, PlayerEvent } from "./player-record.ts";
import { isRecordNotFound, unavailableError } from "./prisma-errors.ts";

export type Tx = Prisma.TransactionClient;

type PlayerRow = Prisma.PlayerGetPayload<{ select: typeof playerSelect }>;

/**
 * The row as it was when this transaction took its write lock: every field is the "before" value,
 * except `version` (already the version this write produces) and `updatedAt`/`lastActiveAt`.
 */
export type LockedPlayer = PlayerRow;

/** What an operation's `apply` returns: its ledger rows, and the row it wrote if it changed more than the ledgered fields. */
export type ApplyResult = LedgerChange[] | { changes: LedgerChange[]; row: PlayerRow };

const ledgeredColumn = { health: "health", experience: "experiencePoints", level: "level" } as const;

export interface LedgerChange {
  field: LedgerField;
  before: number;
  after: number;
  reason: LedgerReason;
  detail?: Prisma.InputJsonObject;
}

export interface MutationResult {
  player: Player;
  /** The primary ledger row (e.g. the experience row when a level-up row follows it). */
  event: PlayerEvent;
  events: PlayerEvent[];
}

export interface PlayerWriteSpec {
  operation: PersistenceOperation;
  playerId: string;
  options: WriteOptions;
  /** Whole-object saves and If-Match corrections: refuse unless the row is at this version. */
  expectedVersion?: number;
  /** Staff actions are also written to the audit log, in the same transaction. */
  audit?: { action: string; reason?: string };
  /** Ledger timestamp; defaults to now. Only imports and the demo seed set it. */
  at?: Date;
  /** Applies the change with atomic SQL and returns the ledger rows describing it. */
  apply: (tx: Tx, locked: LockedPlayer) => Promise<ApplyResult>;
}

/**
 * The one transaction shape every player mutation uses:
 *   1. take the row's write lock by bumping `version` (atomic increment; compare-and-set when an
 *      expected version is given) — this also reads the true "before" state under the lock;
 *   2. apply the field change with a single clamped SQL statement (see clamped-updates.ts);
 *   3. append the ledger rows (and an audit row for staff actions);
 *   4. commit; only then invalidate the cache and tell other instances (on PostgreSQL the
 *      database's trigger announces the change inside the transaction, delivered on commit).
 * A failure anywhere rolls all of it back, is logged (error log) and counted; none is swallowed.
 */
export async function runPlayerWrite(ctx: PersistenceContext, spec: PlayerWriteSpec): Promise<MutationResult> {
  const started = performance.now();
  const { actor, requestId } = spec.options;
  const changeId = randomUUID();
  try {
    const { row, events } = await ctx.db.$transaction(async (tx) => {
      const locked = await lockPlayer(tx, spec.playerId, spec.expectedVersion, actor.kind === "service");
      const applied = await spec.apply(tx, locked);
      const changes = Array.isArray(applied) ? applied : applied.changes;
      const events = [];
      for (const change of changes) {
        events.push(
          await tx.playerEvent.create({
            data: {
              playerId: spec.playerId,
              at: spec.at ?? new Date(),
              field: change.field,
              delta: change.after - change.before,
              before: change.before,
              after: change.after,
              reason: change.reason,
              detail: change.detail,
              actor: actor.name,
              requestId: requestId ?? null,
              changeId,
              playerVersion: locked.version,
            },
            select: playerEventSelect,
          }),
        );
      }
      if (spec.audit) {
        await tx.auditEntry.create({
          data: {
            actor: actor.name,
            action: spec.audit.action,
            playerId: spec.playerId,
            before: Object.fromEntries(changes.map((change) => [change.field, change.before])),
            after: Object.fromEntries(changes.map((change) => [change.field, change.after])),
            reason: spec.audit.reason ?? null,
            requestId: requestId ?? null,
          },
        });
      }
      // The row after the write, without reading it again: under the lock nothing else changed it,
      // so it is the locked row with the ledgered fields at their new values (or the row `apply` wrote).
      const row: PlayerRow = Array.isArray(applied) ? { ...locked } : applied.row;
      if (Array.isArray(applied)) for (const change of changes) row[ledgeredColumn[change.field]] = change.after;
      return { row, events };
    });

    const player = toPlayer(row, ctx.healthFloor);
    await afterCommit(ctx, player, requestId);
    ctx.metrics.recordWrite(spec.operation, performance.now() - started);
    const ledger = events.map(toPlayerEvent);
    return { player, event: ledger[0]!, events: ledger };
  } catch (error) {
    throw failedWrite(ctx, spec, error);
  }
}

async function lockPlayer(tx: Tx, playerId: string, expectedVersion: number | undefined, touchActivity: boolean): Promise<LockedPlayer> {
  try {
    return await tx.player.update({
      where: expectedVersion === undefined ? { id: playerId } : { id: playerId, version: expectedVersion },
      data: { version: { increment: 1 }, ...(touchActivity ? { lastActiveAt: new Date() } : {}) },
      select: playerSelect,
    });
  } catch (error) {
    if (!isRecordNotFound(error)) throw error;
    const current = await tx.player.findUnique({ where: { id: playerId }, select: { version: true } });
    if (!current) throw playerNotFound(playerId);
    throw new StaleDataError(playerId, expectedVersion ?? 0, current.version);
  }
}

/** Committed: make every cache forget the old state. A bus failure is logged, never hidden. */
async function afterCommit(ctx: PersistenceContext, player: Player, requestId: string | undefined): Promise<void> {
  ctx.cache.invalidate(player.id, "write");
  ctx.cache.offer(player.id, player);
  if (ctx.bus.announcedByDatabase) return; // PostgreSQL's trigger announced it with the commit
  try {
    await ctx.bus.publish({ playerId: player.id, version: player.version, origin: ctx.instanceId });
  } catch (error) {
    ctx.logger.error(
      { module: "cache", err: error, playerId: player.id, version: player.version, requestId },
      "could not publish a cache invalidation; other instances rely on their TTL until the bus recovers",
    );
  }
}

function failedWrite(ctx: PersistenceContext, spec: PlayerWriteSpec, error: unknown): unknown {
  const log = { module: "persistence", operation: spec.operation, playerId: spec.playerId, requestId: spec.options.requestId };
  if (error instanceof StaleDataError) {
    ctx.metrics.staleSavesRefused += 1;
    ctx.logger.warn({ ...log, expectedVersion: error.expectedVersion, currentVersion: error.currentVersion }, "stale write refused");
    return error;
  }
  // Caller mistakes (unknown player, invalid value, dead player) are answers, not failures.
  if (error instanceof AppError) return error;
  ctx.metrics.recordError(spec.operation);
  // Nothing committed, but drop the entry anyway: cheap, and it rules out serving a guess.
  ctx.cache.invalidate(spec.playerId, "write");
  ctx.logger.error({ ...log, err: error }, `player ${spec.operation} failed`);
  return unavailableError(error) ?? error;
}
