import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { startAppServer } from "../tests/helpers/app-server.ts";
import { openBenchDatabase, rawFieldUpdate } from "./bench-database.ts";
import { percentile, round } from "./measure.ts";

/**
 * Issue 22's batch targets, measured side by side in one run (median of interleaved rounds):
 * - HTTP at 16 connections: field changes/s of `POST /api/v1/changes` with 100 damage changes,
 *   against single `POST …/damage` req/s on the same server, and against the raw driver applying
 *   the same 100 UPDATE + ledger INSERT in one transaction; the batch's p99;
 * - a 1,000-change combat round (one batch over 1,000 players) end to end, sequential requests.
 */
export interface BatchPhaseOptions {
  rounds: number;
  httpSeconds: number;
  combatRounds: number;
  progress: (message: string) => void;
}

export interface BatchPhaseResult {
  kind: "sqlite" | "postgresql";
  singleReqPerSec: number;
  batchReqPerSec: number;
  batchChangesPerSec: number;
  batchP99Ms: number;
  rawChangesPerSec: number;
  combatRoundMedianMs: number;
  combatRoundP99Ms: number;
  byRound: Record<string, number[]>;
}

const BATCH = 100;
const ROUND_PLAYERS = 1_000;

export async function batchPhase(kind: "sqlite" | "postgresql", options: BatchPhaseOptions): Promise<BatchPhaseResult> {
  const database = await openBenchDatabase(kind);
  const server = await startAppServer({ env: { DATABASE_URL: database.url, CACHE_TTL_MS: "600000", LOG_LEVEL: "error", INTEGRITY_CHECK_INTERVAL_MS: "0" } });
  const raw = await rawFieldUpdate(database);
  try {
    const players = await database.createPlayers(ROUND_PLAYERS, `batch-${kind}`);
    const auth = { Authorization: `Bearer ${database.serviceToken}`, "Content-Type": "application/json" };
    // In id order, the order PostgreSQL batches lock rows in: the raw baseline then cannot deadlock
    // with a server batch still finishing when autocannon stops.
    const batchPlayers = players.slice(0, BATCH).sort();
    const batchBody = JSON.stringify({ mode: "atomic", changes: batchPlayers.map((playerId) => ({ op: "damage", playerId, amount: 1 })) });
    const roundBody = JSON.stringify({ mode: "independent", changes: players.map((playerId) => ({ op: "damage", playerId, amount: 1 })) });
    const cannon = async (path: string, body: string, label: string) => {
      const result = await autocannon({ url: `${server.baseUrl}${path}`, method: "POST", headers: auth, body, connections: 16, duration: options.httpSeconds });
      if (result.errors > 0 || result.non2xx > 0) throw new Error(`${label}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
      return { reqPerSec: result.requests.average, p99Ms: result.latency.p99 };
    };
    // A fresh server compiles its routes on first use: warm both paths before anything is timed.
    for (let index = 0; index < 20; index += 1) await (await fetch(`${server.baseUrl}/api/v1/players/${players[0]}/damage`, { method: "POST", headers: auth, body: JSON.stringify({ amount: 1 }) })).arrayBuffer();
    await (await fetch(`${server.baseUrl}/api/v1/changes`, { method: "POST", headers: auth, body: roundBody })).arrayBuffer();
    const runs = { single: [] as number[], batch: [] as Array<{ reqPerSec: number; p99Ms: number }>, raw: [] as number[], combat: [] as number[] };
    for (let round = 1; round <= options.rounds; round += 1) {
      options.progress(`${kind}: batches, round ${round}/${options.rounds}: single POST …/damage at 16 connections…`);
      runs.single.push((await cannon(`/api/v1/players/${players[0]}/damage`, JSON.stringify({ amount: 1 }), "single damage")).reqPerSec);
      options.progress(`${kind}: batches, round ${round}/${options.rounds}: POST /api/v1/changes × ${BATCH} at 16 connections…`);
      runs.batch.push(await cannon("/api/v1/changes", batchBody, "batch of 100"));
      options.progress(`${kind}: batches, round ${round}/${options.rounds}: raw driver, ${BATCH} UPDATE + INSERT per transaction…`);
      // The baseline writes its own ledger rows, as a user without Pnakotic would: the trigger is off meanwhile.
      await database.setLedgerTrigger(false);
      runs.raw.push(await rawChangesPerSec(raw, batchPlayers, options.httpSeconds * 1_000));
      await database.setLedgerTrigger(true);
      options.progress(`${kind}: batches, round ${round}/${options.rounds}: ${options.combatRounds} combat rounds of ${ROUND_PLAYERS} changes…`);
      for (let index = 0; index < options.combatRounds; index += 1) {
        const started = performance.now();
        const response = await fetch(`${server.baseUrl}/api/v1/changes`, { method: "POST", headers: auth, body: roundBody });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`combat round: HTTP ${response.status}`);
        runs.combat.push(performance.now() - started);
      }
    }
    const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const batch = [...runs.batch].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor(runs.batch.length / 2)]!;
    const combat = [...runs.combat].sort((a, b) => a - b);
    return {
      kind,
      singleReqPerSec: round(medianOf(runs.single), 0),
      batchReqPerSec: round(batch.reqPerSec, 1),
      batchChangesPerSec: round(batch.reqPerSec * BATCH, 0),
      batchP99Ms: batch.p99Ms,
      rawChangesPerSec: round(medianOf(runs.raw), 0),
      combatRoundMedianMs: round(percentile(combat, 0.5), 1),
      combatRoundP99Ms: round(percentile(combat, 0.99), 1),
      byRound: {
        singleReqPerSec: runs.single.map((value) => round(value, 0)),
        batchChangesPerSec: runs.batch.map((value) => round(value.reqPerSec * BATCH, 0)),
        rawChangesPerSec: runs.raw.map((value) => round(value, 0)),
      },
    };
  } finally {
    await database.setLedgerTrigger(true);
    await raw.close();
    await server.stop();
    await database.close();
  }
}

/** Changes/s of the raw driver applying `players.length` hand-written changes per transaction, serially. */
async function rawChangesPerSec(raw: { updateAll: (playerIds: string[]) => Promise<void> }, players: string[], durationMs: number): Promise<number> {
  const started = performance.now();
  let changes = 0;
  while (performance.now() - started < durationMs) {
    await raw.updateAll(players);
    changes += players.length;
  }
  return changes / ((performance.now() - started) / 1_000);
}
