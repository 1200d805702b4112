import { performance } from "node:perf_hooks";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { statValues } from "../persistence/player-record.ts";
import { checkConservation } from "./check-conservation.ts";
import { PlayerChecker, externalChangeAnomaly } from "./find-anomalies.ts";
import { triggerFindings } from "./trigger-inventory.ts";
import { chainAlgorithmFor, writeHead } from "../ledger/chain.ts";
import { appendCheckpoints, baseSignatureValid, checkpointSignatureValid, latestBases, latestCheckpoints } from "../ledger/ledger-anchors.ts";
import type { StoredBase, StoredCheckpoint } from "../ledger/ledger-anchors.ts";
import { pageChainRows, playersWithChainRows } from "../ledger/chain-rows.ts";
import type { Anomaly, AnomalyDetail, Checkpoint, ExternalChange } from "./find-anomalies.ts";
import { listPlayerPurges } from "../persistence/purge-test-player.ts";

export type IntegrityScope = "incremental" | "full";
export type IntegrityRunStatus = "queued" | "running" | "finished" | "stopped" | "failed";

export interface IntegrityRun {
  id: string;
  trigger: "manual" | "schedule";
  actor: string;
  scope: IntegrityScope;
  status: IntegrityRunStatus;
  startedAt: string;
  progressAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  playersTotal: number;
  playersScanned: number;
  eventsScanned: number;
  eventsResampled: number;
  findingCount: number;
  note: string | null;
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

export interface IntegrityRunOptions {
  trigger: "manual" | "schedule";
  actor: string;
  scope?: IntegrityScope;
  /** Stop after this long (checkpoints so far are saved; the next run resumes). Default: no limit. */
  budgetMs?: number;
  /** Called after every page of rows with the run's progress (the monitor shows it in /api/health). */
  onProgress?: (progress: IntegrityProgress) => void;
}

/** A running check's progress, as /api/health and the run record show it. */
export interface IntegrityProgress {
  runId: string;
  scope: IntegrityScope;
  startedAt: string;
  playersTotal: number;
  playersScanned: number;
  eventsScanned: number;
  eventsResampled: number;
  /** The player being read now, and how many of its rows so far (a long backlog shows its advance). */
  currentPlayerId: string | null;
  currentPlayerEvents: number;
}

const PLAYER_BATCH = 200;
/**
 * Rows per read. On SQLite a read runs synchronously on the event loop, so a page is the longest a
 * request can wait behind the check (500 rows ≈ 15–30 ms here); PostgreSQL reads off the loop.
 */
export const chainPageRows = (dialect: PersistenceContext["dialect"]) => (dialect === "sqlite" ? 500 : 2_000);
/** How often a running check writes its progress to its run record. */
const PROGRESS_WRITE_MS = 1_000;
/** External changes stay on the report this long, whichever check first saw them. */
const EXTERNAL_WINDOW_MS = 7 * 86_400_000;
const EXTERNAL_LIMIT = 1_000;

/**
 * Lets queued work (health probes, writes) run between two pages of the check. A request takes
 * several turns of the event loop (routing, auth, its own query), so one setImmediate turn would
 * let it advance one step per page; a short timer lets a whole short request finish in between.
 */
const YIELD_MS = 2;
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, YIELD_MS));

/** Records a run before it starts (queued or running), so a caller can name it at once. */
export async function recordIntegrityRun(ctx: PersistenceContext, options: IntegrityRunOptions, status: "queued" | "running" = "running"): Promise<string> {
  const run = await ctx.db.integrityRun.create({
    data: { trigger: options.trigger, actor: options.actor, scope: options.scope ?? "incremental", status, startedAt: new Date(), playersScanned: 0, eventsScanned: 0, findingCount: 0 },
    select: { id: true },
  });
  return run.id;
}

/** Records and runs a check to its end (the CLI's and the tests' form; the server uses IntegrityMonitor). */
export async function runIntegrityCheck(ctx: PersistenceContext, options: IntegrityRunOptions): Promise<IntegrityReport> {
  return executeIntegrityRun(ctx, await recordIntegrityRun(ctx, options), options);
}

/**
 * Scans every player in batches, each against the ledger rows written since its last verified
 * checkpoint — so a check costs what was written since the last one, not the whole history — and
 * stores the run and its findings (the latest 100 runs are kept, so every instance and every restart
 * shows the same report).
 *
 * Bounded work (issue 20): a player's rows are read in pages (chainPageRows) and fed one by one
 * to a PlayerChecker, so memory does not grow with a backlog, and the check yields to the event loop
 * after every page, so requests keep being answered while it runs. Past its time budget it saves
 * what it verified (a player's checkpoint can stop inside its backlog, at a write boundary) and
 * stops; the next run resumes there.
 *
 * Consistency without a snapshot: a player row is read first, then only ledger rows whose
 * playerVersion is at most the version read. A write's rows carry its new version and commit with
 * it, so a write that lands during the check is either wholly visible in both or ignored by both;
 * it cannot look like a mismatch.
 */
export async function executeIntegrityRun(ctx: PersistenceContext, runId: string, options: IntegrityRunOptions): Promise<IntegrityReport> {
  const started = performance.now();
  const startedAt = new Date();
  const deadline = options.budgetMs !== undefined ? started + options.budgetMs : Infinity;
  const scope = options.scope ?? "incremental";
  const findings: Anomaly[] = [];
  const progress: IntegrityProgress = {
    runId,
    scope,
    startedAt: startedAt.toISOString(),
    playersTotal: await ctx.db.player.count(),
    playersScanned: 0,
    eventsScanned: 0,
    eventsResampled: 0,
    currentPlayerId: null,
    currentPlayerEvents: 0,
  };
  await ctx.db.integrityRun.update({ where: { id: runId }, data: { status: "running", startedAt, progressAt: startedAt, playersTotal: progress.playersTotal }, select: { id: true } });
  options.onProgress?.({ ...progress });
  let lastProgressWrite = performance.now();
  const reportProgress = async () => {
    options.onProgress?.({ ...progress });
    if (performance.now() - lastProgressWrite < PROGRESS_WRITE_MS) return;
    lastProgressWrite = performance.now();
    await ctx.db.integrityRun.update({
      where: { id: runId },
      data: { progressAt: new Date(), playersScanned: progress.playersScanned, eventsScanned: progress.eventsScanned, eventsResampled: progress.eventsResampled },
      select: { id: true },
    });
  };
  let stoppedAt: string | null = null;
  try {
    // Which slice of players re-verifies its whole retained history this run (see inSample).
    const sampleSlot = await ctx.db.integrityRun.count();
    const stats = await ctx.stats.byKey();
    const rules = await ctx.stats.ruleHistory();
    const algorithm = chainAlgorithmFor(ctx.dialect);
    let cursor: string | undefined;
    scan: for (;;) {
      const players = await ctx.db.player.findMany({
        orderBy: { id: "asc" },
        take: PLAYER_BATCH,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        select: { id: true, name: true, health: true, maxHealth: true, experiencePoints: true, level: true, version: true, stats: true },
      });
      if (players.length === 0) break;
      const ids = players.map((player) => player.id);
      const checkpoints = await latestCheckpoints(ctx, ids);
      const bases = await latestBases(ctx, ids);
      const starts = new Map<string, Start>();
      for (const player of players) {
        const resample = scope === "full" || inSample(player.id, sampleSlot);
        starts.set(player.id, await verificationStart(ctx, player.id, checkpoints.get(player.id), bases.get(player.id), resample));
      }
      const ranges = players.map((player) => ({ playerId: player.id, afterId: starts.get(player.id)!.checkpoint?.lastEventId ?? 0, maxVersion: player.version }));
      const withRows = await playersWithChainRows(ctx, ranges);
      const verified: Array<{ playerId: string; next: Checkpoint; startRows: number }> = [];
      for (const [index, player] of players.entries()) {
        const { checkpoint: start, rowsThrough: startRows, problems } = starts.get(player.id)!;
        const checker = new PlayerChecker(player, rules, stats, start, algorithm);
        for (const problem of problems) checker.anchorProblem(problem.kind, problem.message, problem.detail, problem.eventIds);
        progress.currentPlayerId = player.id;
        progress.currentPlayerEvents = 0;
        if (withRows.has(player.id)) {
          const pageRows = chainPageRows(ctx.dialect);
          for await (const page of pageChainRows(ctx, ranges[index]!, pageRows)) {
            // Rows under the last signed checkpoint are read again only by a resample: counted apart.
            const verifiedThrough = checkpoints.get(player.id)?.lastEventId ?? 0;
            for (const row of page) {
              checker.push(row);
              if (row.id <= verifiedThrough) progress.eventsResampled += 1;
              else progress.eventsScanned += 1;
            }
            progress.currentPlayerEvents += page.length;
            await reportProgress();
            await yieldToEventLoop();
            // A short page is the player's last: finish it rather than stop.
            if (page.length === pageRows && performance.now() > deadline) {
              // Out of time inside this player's backlog: keep what verified cleanly so far.
              const soFar = checker.verifiedSoFar();
              if (soFar && soFar.lastEventId > (start?.lastEventId ?? 0)) verified.push({ playerId: player.id, next: soFar, startRows });
              stoppedAt = player.id;
              await saveCheckpoints(ctx, verified);
              break scan;
            }
          }
        }
        const verdict = checker.finish({ ...player, stats: statValues(player.stats) }, stats);
        findings.push(...verdict.anomalies);
        // A new signed checkpoint when this one moved past the last signed one (or replaces an unsigned one).
        const stored = checkpoints.get(player.id);
        const trusted = stored !== undefined && start !== undefined && stored.lastEventId === start.lastEventId && stored.signature !== null;
        const moved = verdict.next.lastEventId !== (start?.lastEventId ?? 0) || (stored !== undefined && !trusted);
        if (moved && verdict.anomalies.length === 0) verified.push({ playerId: player.id, next: verdict.next, startRows });
        progress.playersScanned += 1;
      }
      await saveCheckpoints(ctx, verified);
      await reportProgress();
      await yieldToEventLoop();
      cursor = players[players.length - 1]!.id;
      if (performance.now() > deadline && players.length === PLAYER_BATCH) {
        stoppedAt = cursor;
        break;
      }
      if (players.length < PLAYER_BATCH) break;
    }
    progress.currentPlayerId = null;
    findings.push(...(await recentExternalChanges(ctx, new Date(startedAt.getTime() - EXTERNAL_WINDOW_MS))));
    // Database-wide checks: the installed triggers, and conserved stats (transfers balance, supply adds up).
    findings.push(...(await triggerFindings(ctx)));
    findings.push(...(await checkConservation(ctx, stats)));
  } catch (error) {
    await finishRun(ctx, runId, started, progress, [], "failed", `the check failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  const note =
    stoppedAt !== null
      ? `the time budget of ${options.budgetMs} ms ran out after ${progress.playersScanned} of ${progress.playersTotal} players (${progress.eventsScanned} rows); what verified is checkpointed and the next run resumes there`
      : null;
  await finishRun(ctx, runId, started, progress, findings, stoppedAt !== null ? "stopped" : "finished", note);
  await pruneOldRuns(ctx);
  if (findings.length > 0) {
    ctx.logger.warn({ module: "integrity", findings: findings.length, kinds: [...new Set(findings.map((finding) => finding.kind))] }, "integrity check found anomalies");
  }
  return latestIntegrityReport(ctx, { runId });
}

async function finishRun(ctx: PersistenceContext, runId: string, started: number, progress: IntegrityProgress, findings: Anomaly[], status: IntegrityRunStatus, note: string | null): Promise<void> {
  const finishedAt = new Date();
  await ctx.db.integrityRun.update({
    where: { id: runId },
    data: {
      status,
      note,
      progressAt: finishedAt,
      finishedAt,
      durationMs: Math.round(performance.now() - started),
      playersScanned: progress.playersScanned,
      eventsScanned: progress.eventsScanned,
      eventsResampled: progress.eventsResampled,
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
}

interface Start {
  checkpoint: Checkpoint | undefined;
  /** Rows ever written through the start's lastEventId (retained + pruned). */
  rowsThrough: number;
  /** Findings about the anchors themselves, reported with the player's verdict. */
  problems: Array<{ kind: "anchor_forged" | "ledger_rows_missing"; message: string; detail: AnomalyDetail; eventIds?: number[] }>;
}

/**
 * Where a player's verification starts, trusting only what Pnakotic signed: the latest checkpoint
 * when its signature verifies and nothing under it is missing, else the latest prune base (whose
 * signature must verify too), else the first row. A checkpoint or base that does not verify is a
 * finding: someone with database access wrote or moved it without the key.
 */
async function verificationStart(ctx: PersistenceContext, playerId: string, checkpoint: StoredCheckpoint | undefined, base: StoredBase | undefined, resample: boolean): Promise<Start> {
  const problems: Start["problems"] = [];
  if (base && !baseSignatureValid(ctx.ledgerSigner, base)) {
    problems.push({
      kind: "anchor_forged",
      message: `the prune base through event ${base.throughEventId} is ${base.signature === null ? "not signed" : "not signed by this Pnakotic's key"}: it was written or moved outside Pnakotic, and rows before it may have been removed`,
      detail: { anchor: "base", throughEventId: base.throughEventId, signed: base.signature !== null ? "yes" : "no", keyId: ctx.ledgerSigner.keyId },
    });
  }
  const baseThrough = base?.throughEventId ?? 0;
  // A checkpoint at or before the base: its rows were pruned, and the signed base takes over.
  if (!resample && checkpoint && checkpoint.lastEventId > baseThrough && checkpoint.chainHead !== null) {
    if (!checkpointSignatureValid(ctx.ledgerSigner, checkpoint)) {
      // Unsigned checkpoints come from before signatures: verify again from the base, silently.
      if (checkpoint.signature !== null) {
        problems.push({
          kind: "anchor_forged",
          message: `the checkpoint at event ${checkpoint.lastEventId} is not signed by this Pnakotic's key: it was edited or moved forward outside Pnakotic; verifying from ${base ? "the prune base" : "the first row"} instead`,
          detail: { anchor: "checkpoint", lastEventId: checkpoint.lastEventId, keyId: ctx.ledgerSigner.keyId },
        });
      }
    } else {
      const missing = await rowsMissingUnder(ctx, playerId, checkpoint, base);
      if (missing) problems.push({ kind: "ledger_rows_missing", message: missing, detail: { lastEventId: checkpoint.lastEventId, rowsThrough: checkpoint.rowsThrough ?? null }, eventIds: [checkpoint.lastEventId] });
      else {
        return {
          checkpoint: { lastEventId: checkpoint.lastEventId, version: checkpoint.version, state: statValues(checkpoint.state as never), chainHead: checkpoint.chainHead },
          rowsThrough: checkpoint.rowsThrough ?? 0,
          problems,
        };
      }
    }
  }
  if (base) return { checkpoint: { lastEventId: base.throughEventId, version: base.version, state: statValues(base.state as never), chainHead: base.chainHead }, rowsThrough: base.prunedRows, problems };
  return { checkpoint: undefined, rowsThrough: 0, problems };
}

/**
 * A signed checkpoint still stands on its rows: every row through its event is there (the retained
 * count plus what prunes removed equals the rows it was signed over) and its last write still hashes
 * to its head. Null when so; otherwise what is wrong.
 */
async function rowsMissingUnder(ctx: PersistenceContext, playerId: string, checkpoint: StoredCheckpoint, base: StoredBase | undefined): Promise<string | null> {
  if (checkpoint.rowsThrough !== null) {
    const retained = await ctx.db.playerEvent.count({ where: { playerId, id: { gt: base?.throughEventId ?? 0, lte: checkpoint.lastEventId } } });
    const expected = checkpoint.rowsThrough - (base?.prunedRows ?? 0);
    if (retained !== expected) return `${expected} ledger rows were signed through event ${checkpoint.lastEventId}, but ${retained} are there: rows under the signed checkpoint were ${retained < expected ? "deleted" : "inserted"}`;
  }
  const last = await ctx.db.playerEvent.findFirst({ where: { id: checkpoint.lastEventId, playerId }, select: { changeId: true } });
  if (!last) return `event ${checkpoint.lastEventId}, where the signed checkpoint ends, is gone: rows under it were deleted`;
  const write = await ctx.db.playerEvent.findMany({ where: { playerId, changeId: last.changeId }, orderBy: { id: "asc" }, select: { hash: true } });
  const head = writeHead(chainAlgorithmFor(ctx.dialect), write.map((row) => row.hash ?? ""));
  if (head !== checkpoint.chainHead) return `the write ending at event ${checkpoint.lastEventId} no longer hashes to the signed checkpoint's head: it was edited or rows were removed`;
  return null;
}

/**
 * The rotating sample (issue 20, medium #5): each incremental run re-verifies 1 player in
 * RESAMPLE_EVERY from its base (or first row) rather than its checkpoint, a different slice each run,
 * so a row edited under a checkpoint is found within RESAMPLE_EVERY runs (4 hours on the default
 * 15-minute schedule). `scope: "full"` re-verifies everyone.
 */
export const RESAMPLE_EVERY = 16;

function inSample(playerId: string, slot: number): boolean {
  let hash = 2166136261;
  for (let index = 0; index < playerId.length; index += 1) hash = Math.imul(hash ^ playerId.charCodeAt(index), 16777619) >>> 0;
  return (hash + slot) % RESAMPLE_EVERY === 0;
}

async function saveCheckpoints(ctx: PersistenceContext, verified: Array<{ playerId: string; next: Checkpoint; startRows: number }>): Promise<void> {
  await appendCheckpoints(
    ctx,
    verified.map(({ playerId, next, startRows }) => ({
      playerId,
      lastEventId: next.lastEventId,
      version: next.version,
      state: next.state,
      chainHead: next.chainHead ?? null,
      rowsThrough: startRows + (next.rows ?? 0),
    })),
  );
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
    // Without a run id: the latest run that has a verdict (a running run's findings are not in yet).
    where: options.runId ? { id: options.runId } : { status: { in: ["finished", "stopped", "failed"] } },
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
    run: toIntegrityRun(summary),
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

/** A running run that has not reported progress for this long was interrupted (its process died). */
const INTERRUPTED_AFTER_MS = 5 * 60_000;

type StoredRun = Omit<IntegrityRun, "trigger" | "scope" | "status" | "startedAt" | "progressAt" | "finishedAt"> & { trigger: string; scope: string; status: string; startedAt: Date; progressAt: Date | null; finishedAt: Date | null };

export function toIntegrityRun(run: StoredRun): IntegrityRun {
  const interrupted = run.status === "running" && (run.progressAt ?? run.startedAt).getTime() < Date.now() - INTERRUPTED_AFTER_MS;
  return {
    ...run,
    trigger: run.trigger as IntegrityRun["trigger"],
    scope: run.scope as IntegrityScope,
    status: interrupted ? "failed" : (run.status as IntegrityRunStatus),
    note: interrupted ? `interrupted: no progress since ${(run.progressAt ?? run.startedAt).toISOString()} (the process running it stopped)` : run.note,
    startedAt: run.startedAt.toISOString(),
    progressAt: run.progressAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

function isDetail(value: unknown): value is AnomalyDetail {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
