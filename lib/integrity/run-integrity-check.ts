import { performance } from "node:perf_hooks";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { statValues } from "../persistence/player-record.ts";
import { isUniqueViolation } from "../persistence/prisma-errors.ts";
import { checkConservation } from "./check-conservation.ts";
import { checkPlayer, externalChangeAnomaly } from "./find-anomalies.ts";
import { chainAlgorithmFor } from "../ledger/chain.ts";
import { readChainRows } from "../ledger/chain-rows.ts";
import type { Anomaly, AnomalyDetail, Checkpoint, ExternalChange } from "./find-anomalies.ts";
import { listPlayerPurges } from "../persistence/purge-test-player.ts";

export interface IntegrityRun {
  id: string;
  trigger: "manual" | "schedule";
  actor: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  playersScanned: number;
  eventsScanned: number;
  findingCount: number;
}

export interface IntegrityPurge {
  playerId: string;
  playerName: string;
  testTag: string;
  ledgerRows: number;
  purgedAt: string;
  purgedBy: string;
}

export interface IntegrityReport {
  run: IntegrityRun | null;
  findings: Array<Anomaly & { id: string }>;
  /** Test players purged in the last 7 days with their ledgers: a purge, recorded, not tampering. */
  purges: IntegrityPurge[];
}

const PLAYER_BATCH = 200;
/** External changes stay on the report this long, whichever check first saw them. */
const EXTERNAL_WINDOW_MS = 7 * 86_400_000;
const EXTERNAL_LIMIT = 1_000;

/**
 * Scans every player in batches (bounded memory), each against the ledger rows written since its
 * last verified checkpoint — so a check costs what was written since the last one, not the whole
 * history — and stores the run and its findings (the latest 100 runs are kept, so every instance and
 * every restart shows the same report).
 *
 * Consistency without a snapshot: a player row is read first, then only ledger rows whose
 * playerVersion is at most the version read. A write's rows carry its new version and commit with
 * it, so a write that lands during the check is either wholly visible in both or ignored by both;
 * it cannot look like a mismatch.
 */
export async function runIntegrityCheck(ctx: PersistenceContext, options: { trigger: "manual" | "schedule"; actor: string }): Promise<IntegrityReport> {
  const started = performance.now();
  const startedAt = new Date();
  const findings: Anomaly[] = [];
  const stats = await ctx.stats.byKey();
  const rules = await ctx.stats.ruleHistory();
  let playersScanned = 0;
  let eventsScanned = 0;
  let cursor: string | undefined;
  for (;;) {
    const players = await ctx.db.player.findMany({
      orderBy: { id: "asc" },
      take: PLAYER_BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, name: true, health: true, maxHealth: true, experiencePoints: true, level: true, version: true, stats: true },
    });
    if (players.length === 0) break;
    const ids = players.map((player) => player.id);
    const checkpoints = new Map(
      (await ctx.db.ledgerCheckpoint.findMany({ where: { playerId: { in: ids } }, select: { playerId: true, lastEventId: true, version: true, state: true, chainHead: true } })).map((row) => [row.playerId, row]),
    );
    const bases = new Map(
      (await ctx.db.ledgerBase.findMany({ where: { playerId: { in: ids } }, select: { playerId: true, throughEventId: true, version: true, state: true, chainHead: true } })).map((row) => [row.playerId, row]),
    );
    const starts = new Map(players.map((player) => [player.id, verificationStart(checkpoints.get(player.id), bases.get(player.id))]));
    const ledger = await readChainRows(
      ctx,
      players.map((player) => ({ playerId: player.id, afterId: starts.get(player.id)?.lastEventId ?? 0, maxVersion: player.version })),
    );
    const byPlayer = new Map<string, typeof ledger>();
    for (const row of ledger) byPlayer.set(row.playerId, [...(byPlayer.get(row.playerId) ?? []), row]);
    const verified: Array<{ playerId: string; next: Checkpoint }> = [];
    for (const player of players) {
      const start = starts.get(player.id);
      const verdict = checkPlayer({ ...player, stats: statValues(player.stats) }, byPlayer.get(player.id) ?? [], rules, stats, start, chainAlgorithmFor(ctx.dialect));
      findings.push(...verdict.anomalies);
      const stored = checkpoints.get(player.id);
      const moved = verdict.next.lastEventId !== (stored?.lastEventId ?? 0) || (stored !== undefined && stored.chainHead === null);
      if (moved && !verdict.anomalies.some((anomaly) => anomaly.severity === "error")) verified.push({ playerId: player.id, next: verdict.next });
    }
    await saveCheckpoints(ctx, verified);
    playersScanned += players.length;
    eventsScanned += ledger.length;
    cursor = players[players.length - 1]!.id;
    if (players.length < PLAYER_BATCH) break;
  }
  findings.push(...(await recentExternalChanges(ctx, new Date(startedAt.getTime() - EXTERNAL_WINDOW_MS))));
  findings.push(...(await checkConservation(ctx, stats)));
  const finishedAt = new Date();
  const run = await ctx.db.integrityRun.create({
    data: {
      trigger: options.trigger,
      actor: options.actor,
      startedAt,
      finishedAt,
      durationMs: Math.round(performance.now() - started),
      playersScanned,
      eventsScanned,
      findingCount: findings.length,
      findings: {
        createMany: {
          data: findings.map((finding) => ({
            kind: finding.kind,
            severity: finding.severity,
            playerId: finding.playerId,
            playerName: finding.playerName,
            message: finding.message,
            eventIds: finding.eventIds,
            detail: finding.detail,
          })),
        },
      },
    },
    select: { id: true },
  });
  await pruneOldRuns(ctx);
  if (findings.length > 0) {
    ctx.logger.warn({ module: "integrity", findings: findings.length, kinds: [...new Set(findings.map((finding) => finding.kind))] }, "integrity check found anomalies");
  }
  return latestIntegrityReport(ctx, { runId: run.id });
}

type StoredCheckpoint = { lastEventId: number; version: number; state: unknown; chainHead: string | null };
type StoredBase = { throughEventId: number; version: number; state: unknown; chainHead: string };

/**
 * Where a player's verification starts: the last checkpoint, or — when a prune removed rows past
 * it — the prune's base. A checkpoint from before the hash chain existed has no head: the chain is
 * then verified once from the start (or the base).
 */
function verificationStart(checkpoint: StoredCheckpoint | undefined, base: StoredBase | undefined): Checkpoint | undefined {
  if (checkpoint && checkpoint.chainHead !== null && (!base || checkpoint.lastEventId >= base.throughEventId)) {
    return { lastEventId: checkpoint.lastEventId, version: checkpoint.version, state: statValues(checkpoint.state as never), chainHead: checkpoint.chainHead };
  }
  if (base) return { lastEventId: base.throughEventId, version: base.version, state: statValues(base.state as never), chainHead: base.chainHead };
  return undefined;
}

/** A checkpoint only ever moves forward: a slower concurrent check cannot move it back. */
async function saveCheckpoints(ctx: PersistenceContext, verified: Array<{ playerId: string; next: Checkpoint }>): Promise<void> {
  const verifiedAt = new Date();
  for (const { playerId, next } of verified) {
    const data = { lastEventId: next.lastEventId, version: next.version, state: next.state, chainHead: next.chainHead ?? null, verifiedAt };
    const moved = await ctx.db.ledgerCheckpoint.updateMany({
      where: { playerId, OR: [{ lastEventId: { lt: next.lastEventId } }, { lastEventId: next.lastEventId, chainHead: null }] },
      data,
    });
    if (moved.count === 0) {
      await ctx.db.ledgerCheckpoint.create({ data: { playerId, ...data }, select: { playerId: true } }).catch((error: unknown) => {
        // Another check created it meanwhile: its checkpoint is as good.
        if (!isUniqueViolation(error)) throw error;
      });
    }
  }
}

/** Ledger rows written outside Pnakotic in the window, one finding per change. */
async function recentExternalChanges(ctx: PersistenceContext, since: Date): Promise<Anomaly[]> {
  const rows = await ctx.db.playerEvent.findMany({
    where: { reason: "external", at: { gte: since } },
    orderBy: { id: "asc" },
    take: EXTERNAL_LIMIT,
    select: { id: true, playerId: true, field: true, actor: true, at: true, changeId: true, player: { select: { name: true } } },
  });
  const byChange = new Map<string, ExternalChange>();
  for (const row of rows) {
    const change = byChange.get(row.changeId) ?? { playerId: row.playerId, playerName: row.player.name, changeId: row.changeId, actor: row.actor, at: row.at.toISOString(), eventIds: [], fields: [] };
    change.eventIds.push(row.id);
    change.fields.push(row.field);
    byChange.set(row.changeId, change);
  }
  return [...byChange.values()].map(externalChangeAnomaly);
}

const KEPT_RUNS = 100;

async function pruneOldRuns(ctx: PersistenceContext): Promise<void> {
  const oldestKept = await ctx.db.integrityRun.findMany({ orderBy: { startedAt: "desc" }, skip: KEPT_RUNS - 1, take: 1, select: { startedAt: true } });
  if (oldestKept[0]) await ctx.db.integrityRun.deleteMany({ where: { startedAt: { lt: oldestKept[0].startedAt } } });
}

/** A report lists at most this many purges (the newest). */
export const MAX_REPORTED_PURGES = 100;

/** A report lists at most this many findings (the run's findingCount counts them all). */
export const MAX_REPORTED_FINDINGS = 1_000;

/** The latest run (or a given one) with its first findings, optionally only one player's. */
export async function latestIntegrityReport(ctx: PersistenceContext, options: { runId?: string; playerId?: string } = {}): Promise<IntegrityReport> {
  const run = await ctx.db.integrityRun.findFirst({
    where: options.runId ? { id: options.runId } : {},
    orderBy: { startedAt: "desc" },
    include: { findings: { where: options.playerId ? { playerId: options.playerId } : {}, orderBy: { id: "asc" }, take: MAX_REPORTED_FINDINGS } },
  });
  const purges = (await listPlayerPurges(ctx, new Date(Date.now() - EXTERNAL_WINDOW_MS), MAX_REPORTED_PURGES))
    .filter((purge) => !options.playerId || purge.playerId === options.playerId)
    .map(({ lastEventHash: _hash, ...purge }) => ({ ...purge, purgedAt: purge.purgedAt.toISOString() }));
  if (!run) return { run: null, findings: [], purges };
  const { findings, ...summary } = run;
  return {
    purges,
    run: {
      ...summary,
      trigger: summary.trigger as IntegrityRun["trigger"],
      startedAt: summary.startedAt.toISOString(),
      finishedAt: summary.finishedAt.toISOString(),
    },
    findings: findings.map((finding) => ({
      id: String(finding.id),
      kind: finding.kind as Anomaly["kind"],
      severity: finding.severity as Anomaly["severity"],
      playerId: finding.playerId,
      playerName: finding.playerName,
      message: finding.message,
      eventIds: Array.isArray(finding.eventIds) ? (finding.eventIds as number[]) : [],
      // Findings stored before the column existed have no detail.
      detail: isDetail(finding.detail) ? finding.detail : {},
    })),
  };
}

function isDetail(value: unknown): value is AnomalyDetail {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
