import { performance } from "node:perf_hooks";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { findAnomalies } from "./find-anomalies.ts";
import type { Anomaly } from "./find-anomalies.ts";

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
 * Scans every player and its ledger in batches (bounded memory) and returns the anomalies found.
 * Reads only; the report is kept by the caller (integrity-monitor.ts).
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
  const run: IntegrityRun = {
    id: `${startedAt.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    trigger: options.trigger,
    actor: options.actor,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    playersScanned,
    eventsScanned,
    findingCount: findings.length,
  };
  if (findings.length > 0) {
    ctx.logger.warn({ module: "integrity", findings: findings.length, kinds: [...new Set(findings.map((finding) => finding.kind))] }, "integrity check found anomalies");
  }
  return { run, findings: findings.map((finding, index) => ({ ...finding, id: `${run.id}-${index}` })) };
}
