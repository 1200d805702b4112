import { performance } from "node:perf_hooks";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { findAnomalies } from "./find-anomalies.ts";
import type { Anomaly, AnomalyDetail } from "./find-anomalies.ts";

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

export interface IntegrityReport {
  run: IntegrityRun | null;
  findings: Array<Anomaly & { id: string }>;
}

const PLAYER_BATCH = 200;

/**
 * Scans every player and its ledger in batches (bounded memory), stores the run and its findings
 * (the latest 100 runs are kept, so every instance and every restart shows the same report), and
 * returns the report.
 */
export async function runIntegrityCheck(ctx: PersistenceContext, options: { trigger: "manual" | "schedule"; actor: string }): Promise<IntegrityReport> {
  const started = performance.now();
  const startedAt = new Date();
  const findings: Anomaly[] = [];
  let playersScanned = 0;
  let eventsScanned = 0;
  let cursor: string | undefined;
  for (;;) {
    const players = await ctx.db.player.findMany({
      orderBy: { id: "asc" },
      take: PLAYER_BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, name: true, health: true, maxHealth: true, experiencePoints: true, level: true, version: true },
    });
    if (players.length === 0) break;
    const ledger = await ctx.db.playerEvent.findMany({
      where: { playerId: { in: players.map((player) => player.id) } },
      orderBy: { id: "asc" },
      select: { id: true, playerId: true, field: true, before: true, after: true, reason: true, changeId: true },
    });
    const byPlayer = new Map<string, typeof ledger>();
    for (const row of ledger) byPlayer.set(row.playerId, [...(byPlayer.get(row.playerId) ?? []), row]);
    for (const player of players) findings.push(...findAnomalies(player, byPlayer.get(player.id) ?? [], ctx.healthFloor));
    playersScanned += players.length;
    eventsScanned += ledger.length;
    cursor = players[players.length - 1]!.id;
    if (players.length < PLAYER_BATCH) break;
  }
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

const KEPT_RUNS = 100;

async function pruneOldRuns(ctx: PersistenceContext): Promise<void> {
  const oldestKept = await ctx.db.integrityRun.findMany({ orderBy: { startedAt: "desc" }, skip: KEPT_RUNS - 1, take: 1, select: { startedAt: true } });
  if (oldestKept[0]) await ctx.db.integrityRun.deleteMany({ where: { startedAt: { lt: oldestKept[0].startedAt } } });
}

/** The latest run (or a given one) with its findings, optionally only one player's. */
export async function latestIntegrityReport(ctx: PersistenceContext, options: { runId?: string; playerId?: string } = {}): Promise<IntegrityReport> {
  const run = await ctx.db.integrityRun.findFirst({
    where: options.runId ? { id: options.runId } : {},
    orderBy: { startedAt: "desc" },
    include: { findings: { where: options.playerId ? { playerId: options.playerId } : {}, orderBy: { id: "asc" } } },
  });
  if (!run) return { run: null, findings: [] };
  const { findings, ...summary } = run;
  return {
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
