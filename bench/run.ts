/**
 * `npm run bench` — measured side by side in one run, reported as ratios (absolute numbers drift
 * on this shared 2-core machine). `npm run bench -- --quick` is the < 60 s smoke version CI runs.
 * Writes bench/results/latest.json and bench/results/latest.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { damagePlayer } from "../lib/player-operations/damage-player.ts";
import { gainExperience } from "../lib/player-operations/gain-experience.ts";
import { getPlayerOrThrow, loadPlayer } from "../lib/persistence/get-player.ts";
import { healPlayer } from "../lib/player-operations/heal-player.ts";
import { AppError } from "../lib/errors/app-error.ts";
import { PostgresInvalidationBus } from "../lib/cache/postgres-invalidation-bus.ts";
import { createPersistenceContext } from "../lib/runtime/create-persistence-context.ts";
import { startAppServer } from "../tests/helpers/app-server.ts";
import { postgresReachable } from "../tests/helpers/provision-database.ts";
import { openBenchDatabase, prismaFieldUpdate, rawFieldUpdate } from "./bench-database.ts";
import { updateStats } from "../lib/player-operations/update-stats.ts";
import { declareStats } from "../lib/stats/declare-stats.ts";
import { demoStatDeclarations } from "../lib/stats/stat-definition.ts";
import { runIntegrityCheck } from "../lib/integrity/run-integrity-check.ts";
import { playerStateAt } from "../lib/history/player-state-at.ts";
import { GENESIS, chainAlgorithmFor, rowHash, writeHead } from "../lib/ledger/chain.ts";
import type { ChainRow } from "../lib/ledger/chain.ts";
import type { BenchDatabase } from "./bench-database.ts";
import { consoleScale, P95_TARGET_MS } from "./console-scale.ts";
import { mergeSaveCost } from "./merge-save.ts";
import { batchPhase } from "./batch-targets.ts";
import { measure, percentile, round } from "./measure.ts";
import type { Measurement } from "./measure.ts";

const quick = process.argv.includes("--quick");
/** Only the console-at-scale phase (its full size builds 10,000,000 ledger rows: minutes). */
const consoleOnly = process.argv.includes("--console-only");
/** Only the merged-vs-plain whole save phase (9), on each database. */
const mergeOnly = process.argv.includes("--merge-only");
/** Only issue 22's batch targets (POST /api/v1/changes against single changes and the raw driver). */
const batchOnly = process.argv.includes("--batch-only");
const optionValue = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
const CONSOLE_SIZES = (optionValue("console-sizes") ?? (quick ? "1000" : "1000,10000,100000")).split(",").map(Number);
const CONSOLE_EVENTS_PER_PLAYER = Number(optionValue("console-events-per-player") ?? (quick ? 10 : 100));
const unknown = process.argv.slice(2).filter((arg) => arg !== "--quick" && arg !== "--console-only" && arg !== "--merge-only" && arg !== "--batch-only" && !/^--console-(sizes|events-per-player)=/.test(arg));
if (unknown.length > 0 || CONSOLE_SIZES.some((size) => !Number.isInteger(size) || size < 1) || !Number.isInteger(CONSOLE_EVENTS_PER_PLAYER)) {
  console.error(
    `bench: bad option(s) ${unknown.join(" ")}; usage: npm run bench [-- --quick] [--console-only | --merge-only | --batch-only] [--console-sizes=1000,10000,100000] [--console-events-per-player=100]`,
  );
  process.exit(2);
}
const DURATION_MS = quick ? 700 : 4_000;
const FIELD_ROUNDS = quick ? 1 : 3;
const WARMUP_MS = quick ? 200 : 1_000;
const HTTP_SECONDS = quick ? 1 : 5;
const CACHE_OPS = quick ? 4_000 : 40_000;
const LAG_WRITES = quick ? 50 : 400;
const CONCURRENCY = 16;
const service = { actor: { name: "bench", kind: "service" as const } };

const started = performance.now();
function progress(message: string) {
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);
}

interface Verdict {
  target: string;
  value: number;
  threshold: string;
  pass: boolean;
}
const verdicts: Verdict[] = [];
function check(target: string, value: number, comparison: ">=" | ">" | "<" | "<=" | "==", threshold: number) {
  const pass =
    comparison === ">="
      ? value >= threshold
      : comparison === ">"
        ? value > threshold
        : comparison === "<"
          ? value < threshold
          : comparison === "<="
            ? value <= threshold
            : value === threshold;
  verdicts.push({ target, value: round(value, 3), threshold: `${comparison} ${threshold}`, pass });
}

const results: Record<string, unknown> = {};
const fmt = (m: Measurement) => ({ opsPerSec: round(m.opsPerSec, 0), p50Ms: round(m.p50Ms, 3), p99Ms: round(m.p99Ms, 3), ops: m.ops });

/** The run whose throughput is the median of several (its latencies come with it). */
function median(runs: Measurement[]): Measurement {
  return [...runs].sort((x, y) => x.opsPerSec - y.opsPerSec)[Math.floor(runs.length / 2)]!;
}

async function fieldUpdate(database: BenchDatabase) {
  const players = await database.createPlayers(CONCURRENCY, `field-${database.kind}`);
  const raw = await rawFieldUpdate(database);
  const prisma = prismaFieldUpdate(database);
  // better-sqlite3 is synchronous: concurrency would only interleave awaits, so it runs serially.
  const rawConcurrency = database.kind === "sqlite" ? 1 : CONCURRENCY;
  const paths = {
    a: { label: "raw driver", run: (worker: number) => raw.update(players[worker]!), concurrency: rawConcurrency },
    b: { label: "plain Prisma", run: (worker: number) => prisma(players[worker]!), concurrency: CONCURRENCY },
    c: { label: "Pnakotic damagePlayer", run: (worker: number) => damagePlayer(database.ctx, players[worker]!, 1, {}, service), concurrency: CONCURRENCY },
    d: {
      label: "Pnakotic updateStats, 3 stats",
      run: (worker: number) =>
        updateStats(database.ctx, players[worker]!, { changes: [{ stat: "health", op: "add", value: -1 }, { stat: "mana", op: "add", value: -1 }, { stat: "gold", op: "add", value: 1 }] }, service),
      concurrency: CONCURRENCY,
    },
  } as const;
  // The paths take turns, several rounds, and each reports its median round: machine noise (other
  // jobs on these 2 cores) then hits all alike instead of skewing one ratio. The hand-written
  // baselines write their own ledger row, so Pnakotic's trigger is off while they run.
  const runs: Record<keyof typeof paths, Measurement[]> = { a: [], b: [], c: [], d: [] };
  for (let round = 1; round <= FIELD_ROUNDS; round += 1) {
    for (const key of ["a", "b", "c", "d"] as const) {
      await database.setLedgerTrigger(key === "c" || key === "d");
      progress(`${database.kind}: field update (${key}) ${paths[key].label}, round ${round}/${FIELD_ROUNDS}…`);
      runs[key].push(await measure(paths[key].run, { durationMs: DURATION_MS, concurrency: paths[key].concurrency, warmupMs: round === 1 ? WARMUP_MS : 0 }));
    }
  }
  await database.setLedgerTrigger(true);
  await raw.close();
  const [a, b, c, d] = [median(runs.a), median(runs.b), median(runs.c), median(runs.d)];
  results[`fieldUpdate_${database.kind}`] = {
    rounds: FIELD_ROUNDS,
    a: fmt(a),
    b: fmt(b),
    c: fmt(c),
    d: fmt(d),
    cOverA: round(c.opsPerSec / a.opsPerSec, 3),
    cOverB: round(c.opsPerSec / b.opsPerSec, 3),
    dOverA: round(d.opsPerSec / a.opsPerSec, 3),
    dOverB: round(d.opsPerSec / b.opsPerSec, 3),
    opsPerSecByRound: Object.fromEntries(Object.entries(runs).map(([key, measured]) => [key, measured.map((m) => round(m.opsPerSec, 0))])),
  };
  const sqlite = database.kind === "sqlite";
  check(`(1) ${database.kind} field update c/a`, c.opsPerSec / a.opsPerSec, ">=", sqlite ? 0.5 : 0.8);
  check(`(1) ${database.kind} field update c/b`, c.opsPerSec / b.opsPerSec, ">=", 1.2);
  check(`(1) ${database.kind} 3-stat update d/a`, d.opsPerSec / a.opsPerSec, ">=", sqlite ? 0.5 : 0.8);
  check(`(1) ${database.kind} 3-stat update d/b`, d.opsPerSec / b.opsPerSec, ">=", 1.2);
  if (sqlite) check("(1) sqlite damagePlayer p99 at 16 concurrent callers (ms)", c.p99Ms, "<", 5);
}

async function reads(database: BenchDatabase) {
  const [id] = await database.createPlayers(1, `read-${database.kind}`);
  await getPlayerOrThrow(database.ctx, id!);
  progress(`${database.kind}: reads, cached vs uncached…`);
  const cached = await measure(() => getPlayerOrThrow(database.ctx, id!), { durationMs: DURATION_MS, concurrency: 1, warmupMs: WARMUP_MS });
  const uncached = await measure(() => loadPlayer(database.ctx, id!), { durationMs: DURATION_MS, concurrency: 1, warmupMs: WARMUP_MS });
  results[`reads_${database.kind}`] = { cached: fmt(cached), uncached: fmt(uncached), ratio: round(cached.opsPerSec / uncached.opsPerSec, 1) };
  check(`(2) ${database.kind} cached read / uncached read`, cached.opsPerSec / uncached.opsPerSec, ">=", 50);
}

/** Zipf(s = 1.1) over the players: a few are hot, most are cold, like a real game. */
function zipfSampler(n: number, s = 1.1, random: () => number) {
  const weights = Array.from({ length: n }, (_, rank) => 1 / (rank + 1) ** s);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const weight of weights) cumulative.push((running += weight / total));
  return () => {
    const r = random();
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < r) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

async function cacheUnderLoad() {
  const database = await openBenchDatabase("sqlite", { CACHE_TTL_MS: "5000", CACHE_MAX_ENTRIES: "10000" });
  try {
    const players = await database.createPlayers(500, "zipf");
    let seed = 1234;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const pick = zipfSampler(players.length, 1.1, random);
    const committed = new Map<string, number>(players.map((id) => [id, 1]));
    let stale = 0;
    let reads = 0;
    let issued = 0;
    progress(`cache under load: ${CACHE_OPS} operations, Zipf players, 90 % reads / 10 % writes, 8 clients…`);
    const before = { ...database.ctx.cache.counters };
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (issued < CACHE_OPS) {
          issued += 1;
          const id = players[pick()]!;
          if (random() < 0.9) {
            // The version committed before this read started is the least it may return.
            const floor = committed.get(id)!;
            const { player } = await getPlayerOrThrow(database.ctx, id);
            reads += 1;
            if (player.version < floor) stale += 1;
          } else {
            const result =
              random() < 0.5
                ? await damagePlayer(database.ctx, id, 1, {}, service)
                : await healPlayer(database.ctx, id, 1, {}, service).catch((error: unknown) => {
                    if (error instanceof AppError && error.code === "player_dead") return null;
                    throw error;
                  });
            if (result) committed.set(id, Math.max(committed.get(id)!, result.player.version));
          }
        }
      }),
    );
    const hits = database.ctx.cache.counters.hits - before.hits;
    const misses = database.ctx.cache.counters.misses - before.misses;
    const hitRate = hits / (hits + misses);
    results.cacheUnderLoad = { operations: CACHE_OPS, reads, hitRate: round(hitRate, 4), staleReads: stale };
    check("(4) cache hit rate under Zipf 90/10 load", hitRate, ">", 0.9);
    check("(4) stale reads", stale, "==", 0);
  } finally {
    await database.close();
  }
}

async function http() {
  const database = await openBenchDatabase("sqlite");
  const server = await startAppServer({ env: { DATABASE_URL: database.url, PNAKOTIC_BENCH_ROUTES: "1", CACHE_TTL_MS: "600000", LOG_LEVEL: "error" } });
  try {
    const [playerId] = await database.createPlayers(1, "http");
    const auth = { Authorization: `Bearer ${database.serviceToken}` };
    const targets = {
      bare: { path: "/bench/noop", method: "GET" as const, headers: {} as Record<string, string>, body: undefined as string | undefined },
      cachedGet: { path: `/api/v1/players/${playerId}`, method: "GET" as const, headers: auth, body: undefined },
      damage: { path: `/api/v1/players/${playerId}/damage`, method: "POST" as const, headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify({ amount: 1 }) },
    };
    const table: Record<string, Record<string, unknown>> = {};
    for (const connections of [1, 16, 64]) {
      for (const [name, target] of Object.entries(targets)) {
        progress(`http: ${name} at ${connections} connection(s), ${HTTP_SECONDS} s…`);
        const result = await autocannon({
          url: `${server.baseUrl}${target.path}`,
          method: target.method,
          headers: target.headers,
          body: target.body,
          connections,
          duration: HTTP_SECONDS,
        });
        if (result.errors > 0 || result.non2xx > 0) throw new Error(`http ${name}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
        table[`${name}@${connections}`] = { reqPerSec: round(result.requests.average, 0), p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
      }
      const bare = table[`bare@${connections}`]!.reqPerSec as number;
      table[`ratios@${connections}`] = {
        cachedGetOverBare: round((table[`cachedGet@${connections}`]!.reqPerSec as number) / bare, 3),
        damageOverBare: round((table[`damage@${connections}`]!.reqPerSec as number) / bare, 3),
      };
    }
    results.http = table;
    check("(3) cached GET / bare handler, req/s at 16 connections", table["ratios@16"]!.cachedGetOverBare as number, ">=", 0.8);
    check("(3) damage / bare handler, req/s at 16 connections", table["ratios@16"]!.damageOverBare as number, ">=", 0.7);
    check(
      "(3) damage p99 / cached GET p99 at 16 connections",
      (table["damage@16"]!.p99Ms as number) / Math.max(1, table["cachedGet@16"]!.p99Ms as number),
      "<=",
      1.5,
    );
  } finally {
    await server.stop();
    await database.close();
  }
}

async function invalidationLag() {
  const database = await openBenchDatabase("postgresql");
  const other = createPersistenceContext(database.config, { instanceId: "bench-b" });
  try {
    await (other.bus as PostgresInvalidationBus).ready();
    const [id] = await database.createPlayers(1, "lag");
    const lags: number[] = [];
    let pending: { resolve: () => void; committedAt: number } | undefined;
    other.bus.subscribe((message) => {
      if (message.playerId === id && pending) {
        lags.push(performance.now() - pending.committedAt);
        pending.resolve();
      }
    });
    progress(`postgresql: cross-instance invalidation lag, ${LAG_WRITES} writes…`);
    for (let index = 0; index < LAG_WRITES; index += 1) {
      const delivered = new Promise<void>((resolve) => (pending = { resolve, committedAt: Number.POSITIVE_INFINITY }));
      // "Commit" is when the write call returns: the transaction has committed by then.
      await gainExperience(database.ctx, id!, 1, {}, service);
      pending!.committedAt = performance.now();
      await delivered;
    }
    // A message may arrive before the write call has returned (NOTIFY is sent at commit): count 0.
    const sorted = lags.map((lag) => Math.max(0, lag)).sort((a, b) => a - b);
    const p50 = percentile(sorted, 0.5);
    const p99 = percentile(sorted, 0.99);
    results.invalidationLag = { writes: LAG_WRITES, p50Ms: round(p50, 3), p99Ms: round(p99, 3), listenerLag: (other.bus as PostgresInvalidationBus).status().lagMs };
    check("(5) cross-instance invalidation lag p99 (ms)", p99, "<", 50);
  } finally {
    await other.bus.close();
    await other.db.$disconnect();
    await database.close();
  }
}

/**
 * The integrity check's cost follows what was written since the last check: a check over a big
 * ledger with 1,000 new rows (after a first check set the checkpoints) against a full check over a
 * small ledger. Both ledgers are consistent chains, bulk-inserted with the trigger off.
 */
async function integrityGrowth() {
  const bigRows = quick ? 100_000 : 1_000_000;
  const players = 100;
  const timeCheck = async (database: Awaited<ReturnType<typeof openBenchDatabase>>) => {
    const startedAt = performance.now();
    const report = await runIntegrityCheck(database.ctx, { trigger: "manual", actor: "bench" });
    if (report.findings.length > 0) throw new Error(`integrity bench: unexpected findings ${JSON.stringify(report.findings.slice(0, 3))}`);
    return performance.now() - startedAt;
  };
  const build = async (rowsPerPlayer: number) => {
    const database = await openBenchDatabase("sqlite");
    const ids = await database.createPlayers(players, "ledger");
    progress(`integrity: bulk-building a ${rowsPerPlayer * players}-row ledger…`);
    await database.setLedgerTrigger(false);
    const values: string[] = [];
    const flush = async () => {
      if (values.length === 0) return;
      await database.execute(
        `INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "actor", "changeId", "playerVersion", "hash") VALUES ${values.join(",")}`,
      );
      values.length = 0;
    };
    // Hashed as the trigger would have, so the check verifies a real chain (lib/ledger/chain.ts).
    const algorithm = chainAlgorithmFor("sqlite");
    for (const id of ids) {
      let head = GENESIS;
      for (let row = 0; row < rowsPerPlayer; row += 1) {
        const chainRow: ChainRow = {
          id: 0,
          playerId: id,
          field: "health",
          before: 1_000_000 - row,
          after: 999_999 - row,
          beforeText: null,
          afterText: null,
          reason: "damage",
          detail: null,
          actor: "bench",
          requestId: null,
          changeId: `${id}-${row}`,
          playerVersion: row + 2,
          at: "2026-11-01T00:00:00.000+00:00",
          hash: null,
        };
        const hash = rowHash(algorithm, head, chainRow);
        head = writeHead(algorithm, [hash]);
        values.push(`('${id}', '${chainRow.at}', 'health', -1, ${chainRow.before}, ${chainRow.after}, 'damage', 'bench', '${chainRow.changeId}', ${chainRow.playerVersion}, '${hash}')`);
        if (values.length >= 5_000) await flush();
      }
      await flush();
    }
    await database.execute(`UPDATE "Player" SET "health" = ${1_000_000 - rowsPerPlayer}, "version" = ${rowsPerPlayer + 1}`);
    await database.setLedgerTrigger(true);
    return { database, ids };
  };
  const small = await build(10_000 / players);
  const smallMs = await timeCheck(small.database);
  await small.database.close();
  const big = await build(bigRows / players);
  progress("integrity: first check over the big ledger (sets the checkpoints)…");
  const firstMs = await timeCheck(big.database);
  for (let index = 0; index < 1_000; index += 1) await damagePlayer(big.database.ctx, big.ids[index % players]!, 1, {}, service);
  const incrementalMs = await timeCheck(big.database);
  await big.database.close();
  results.integrityGrowth = { players, smallRows: 10_000, smallFullCheckMs: round(smallMs, 1), bigRows, bigFirstCheckMs: round(firstMs, 1), bigIncrementalCheckMs: round(incrementalMs, 1) };
  check(`(7) integrity check: ${bigRows} rows + 1,000 new / full check of 10,000 rows`, incrementalMs / smallMs, "<=", 1);
}

/**
 * (8) History: one player with a 100,000-event ledger (four stats taking turns), and the state at
 * random moments and events rebuilt by the library (lib/history/player-state-at.ts).
 */
async function stateAtLongHistory(database: BenchDatabase) {
  const events = 100_000;
  const [id] = await database.createPlayers(1, "history");
  progress(`${database.kind}: state at a moment: bulk-building a ${events.toLocaleString("en-US")}-event ledger…`);
  await database.setLedgerTrigger(false);
  const fields = [
    { field: "health", start: 1_000_000, step: -1 },
    { field: "experience", start: 0, step: 1 },
    { field: "mana", start: 1_000_000, step: -1 },
    { field: "gold", start: 0, step: 1 },
  ];
  const startAt = Date.parse("2026-01-01T00:00:00.000Z");
  const values: string[] = [];
  for (let index = 0; index < events; index += 1) {
    const { field, start, step } = fields[index % fields.length]!;
    const turn = Math.floor(index / fields.length);
    const at = new Date(startAt + index * 1_000).toISOString().replace("Z", "+00:00");
    values.push(`('${id}', '${at}', '${field}', ${step}, ${start + turn * step}, ${start + (turn + 1) * step}, 'stat', 'bench', 'history-${index}', ${index + 2})`);
    if (values.length === 5_000 || index === events - 1) {
      await database.execute(`INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "actor", "changeId", "playerVersion") VALUES ${values.join(",")}`);
      values.length = 0;
    }
  }
  const turns = events / fields.length;
  await database.execute(
    `UPDATE "Player" SET "health" = ${1_000_000 - turns}, "experiencePoints" = ${turns}, "stats" = '{"mana": ${1_000_000 - turns}, "gold": ${turns}}', "version" = ${events + 1}, "createdAt" = '${new Date(startAt - 1_000).toISOString()}' WHERE "id" = '${id}'`,
  );
  await database.setLedgerTrigger(true);
  const firstEvent = (await database.ctx.db.playerEvent.findFirstOrThrow({ where: { playerId: id }, orderBy: { id: "asc" }, select: { id: true } })).id;
  const samples: number[] = [];
  const calls = quick ? 20 : 60;
  for (let call = 0; call < calls; call += 1) {
    const offset = Math.floor(((call * 7_919) % 1_000) / 1_000 * events);
    const query = call % 2 === 0 ? { event: firstEvent + offset } : { at: new Date(startAt + offset * 1_000 + 500) };
    const started = performance.now();
    const state = await playerStateAt(database.ctx, id!, query);
    samples.push(performance.now() - started);
    // Health rows are events 0, 4, 8, …: after event `offset`, floor(offset / 4) + 1 of them applied.
    const expected = 1_000_000 - (Math.floor(offset / fields.length) + 1);
    if (state.stats.health !== expected) throw new Error(`state-at bench: health ${state.stats.health} after event index ${offset}, expected ${expected}`);
  }
  samples.sort((a, b) => a - b);
  const p50 = percentile(samples, 0.5);
  const p95 = percentile(samples, 0.95);
  results.stateAt = { ...(results.stateAt as object | undefined), [database.kind]: { events, calls, p50Ms: round(p50, 2), p95Ms: round(p95, 2) } };
  check(`(8) ${database.kind}: state of a ${events.toLocaleString("en-US")}-event player at a moment, p95 (ms)`, p95, "<", 50);
}

/** (6) The console's APIs with 1,000 → 100,000 players and up to 10,000,000 ledger rows (SQLite). */
async function consoleAtScale() {
  const table = await consoleScale({ sizes: CONSOLE_SIZES, eventsPerPlayer: CONSOLE_EVENTS_PER_PLAYER, busyPlayerEvents: 10_000, requests: quick ? 10 : 60, progress });
  results.consoleScale = { eventsPerPlayer: CONSOLE_EVENTS_PER_PLAYER, busyPlayerEvents: 10_000, rows: table };
  const largest = table[table.length - 1]!;
  for (const [name, p95] of Object.entries(largest.p95Ms)) check(`(6) ${name} p95 at ${largest.players.toLocaleString("en-US")} players (ms)`, p95, "<", P95_TARGET_MS);
}

/** Issue 22's targets: a batch of 100 over HTTP against single changes and the raw driver; a 1,000-change round. */
async function batches(postgres: boolean) {
  for (const kind of ["sqlite", ...(postgres ? ["postgresql" as const] : [])] as const) {
    const result = await batchPhase(kind, { rounds: FIELD_ROUNDS, httpSeconds: HTTP_SECONDS, combatRounds: quick ? 3 : 5, progress });
    results[`batches_${kind}`] = result;
    check(`(22) ${kind} batch of 100 over HTTP: field changes/s / single POST …/damage req/s (16 connections)`, result.batchChangesPerSec / result.singleReqPerSec, ">=", 10);
    if (kind === "sqlite") {
      check("(22) sqlite batch of 100 over HTTP / raw driver, 100 UPDATE + INSERT per transaction (changes/s)", result.batchChangesPerSec / result.rawChangesPerSec, ">=", 0.5);
      check("(22) sqlite batch of 100, p99 ms at 16 connections", result.batchP99Ms, "<", 50);
    }
    check(`(22) ${kind} 1,000-change combat round over HTTP, median ms`, result.combatRoundMedianMs, "<", kind === "sqlite" ? 100 : 250);
  }
}

async function main() {
  progress(`pnakotic bench${quick ? " --quick" : ""} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}`);
  if (batchOnly) await batches(await postgresReachable());
  else if (!consoleOnly) {
    const postgres = await postgresReachable();
    for (const kind of ["sqlite", ...(postgres ? ["postgresql" as const] : [])] as const) {
      const database = await openBenchDatabase(kind);
      try {
        await declareStats(database.ctx, demoStatDeclarations, { actor: { name: "bench", kind: "system" } });
        if (!mergeOnly) {
          await fieldUpdate(database);
          await reads(database);
          await stateAtLongHistory(database);
        }
        results[`mergeSave_${kind}`] = await mergeSaveCost(database, { saves: quick ? 40 : 300, progress });
      } finally {
        await database.close();
      }
    }
    if (!mergeOnly) {
      await cacheUnderLoad();
      await integrityGrowth();
      await http();
      if (postgres) await invalidationLag();
      await batches(postgres);
    }
  }
  if (!mergeOnly && !batchOnly) await consoleAtScale();

  const report = {
    date: new Date().toISOString(),
    quick,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version, platform: `${os.platform()} ${os.release()}` },
    results,
    verdicts,
  };
  mkdirSync("bench/results", { recursive: true });
  const name = `latest${consoleOnly ? "-console" : ""}${mergeOnly ? "-merge" : ""}${batchOnly ? "-batch" : ""}${quick ? "-quick" : ""}`;
  writeFileSync(`bench/results/${name}.json`, JSON.stringify(report, null, 2) + "\n");
  writeFileSync(`bench/results/${name}.md`, markdown(report));
  console.log("\n" + markdown(report));
  progress(`done; wrote bench/results/${name}.json and .md`);
  const failed = verdicts.filter((verdict) => !verdict.pass);
  if (failed.length > 0) console.log(`${failed.length} target(s) missed (reported, see bench/README.md for what was found).`);
}

function markdown(report: { date: string; quick: boolean; machine: Record<string, unknown>; results: Record<string, any>; verdicts: Verdict[] }): string {
  const lines = [`# Benchmark results${report.quick ? " (quick smoke run — too short for conclusions)" : ""}`, "", `${report.date} · ${JSON.stringify(report.machine)}`, ""];
  for (const kind of ["sqlite", "postgresql"]) {
    const field = report.results[`fieldUpdate_${kind}`];
    if (!field) continue;
    lines.push(`## Field update on ${kind} (health − 1 + ledger row + version bump, one transaction; 16 concurrent callers${kind === "sqlite" ? ", raw driver serial" : ""}; median of ${field.rounds} interleaved rounds)`, "");
    lines.push("| path | ops/s | p50 ms | p99 ms |", "|---|---:|---:|---:|");
    for (const [label, key] of [
      ["(a) raw driver, hand-written UPDATE + ledger INSERT", "a"],
      ["(b) plain Prisma, update + ledger create in $transaction", "b"],
      ["(c) Pnakotic damagePlayer (one UPDATE, trigger-written ledger)", "c"],
      ["(d) Pnakotic updateStats, 3 stats in one change", "d"],
    ] as const) {
      if (field[key]) lines.push(`| ${label} | ${field[key].opsPerSec} | ${field[key].p50Ms} | ${field[key].p99Ms} |`);
    }
    lines.push("", `c/a = **${field.cOverA}**, c/b = **${field.cOverB}**, d/a = **${field.dOverA}**, d/b = **${field.dOverB}**`, "");
    const reads = report.results[`reads_${kind}`];
    if (reads) lines.push(`Reads on ${kind}: cached ${reads.cached.opsPerSec} ops/s (p50 ${reads.cached.p50Ms} ms), uncached ${reads.uncached.opsPerSec} ops/s (p50 ${reads.uncached.p50Ms} ms): **${reads.ratio}×**`, "");
  }
  for (const kind of ["sqlite", "postgresql"]) {
    const merge = report.results[`mergeSave_${kind}`];
    if (!merge) continue;
    lines.push(
      `## Whole save on ${kind}: merged (stale, one write behind) vs plain (current version), ${merge.saves} of each, serial, same players`,
      "",
      `plain p50 ${merge.plain.p50Ms} ms / p95 ${merge.plain.p95Ms} ms; merged p50 ${merge.merged.p50Ms} ms / p95 ${merge.merged.p95Ms} ms: merged/plain p50 = **${merge.ratioP50}×**`,
      "",
    );
  }
  if (report.results.cacheUnderLoad) {
    const c = report.results.cacheUnderLoad;
    lines.push("## Cache under Zipf load (SQLite, 8 clients, 90 % reads)", "", `${c.operations} operations, ${c.reads} reads: hit rate **${(c.hitRate * 100).toFixed(2)} %**, stale reads **${c.staleReads}**`, "");
  }
  if (report.results.integrityGrowth) {
    const g = report.results.integrityGrowth;
    lines.push(
      "## Integrity check cost (SQLite, 100 players)",
      "",
      `full check of ${g.smallRows} rows: **${g.smallFullCheckMs} ms**; ${g.bigRows} rows: first check ${g.bigFirstCheckMs} ms, then with 1,000 new rows **${g.bigIncrementalCheckMs} ms**`,
      "",
    );
  }
  if (report.results.http) {
    lines.push("## HTTP (autocannon, SQLite)", "", "| connections | bare req/s | cached GET req/s (ratio) | damage req/s (ratio) | GET p99 ms | damage p50 / p99 ms |", "|---:|---:|---:|---:|---:|---:|");
    for (const connections of [1, 16, 64]) {
      const h = report.results.http;
      lines.push(
        `| ${connections} | ${h[`bare@${connections}`].reqPerSec} | ${h[`cachedGet@${connections}`].reqPerSec} (${h[`ratios@${connections}`].cachedGetOverBare}) | ${h[`damage@${connections}`].reqPerSec} (${h[`ratios@${connections}`].damageOverBare}) | ${h[`cachedGet@${connections}`].p99Ms} | ${h[`damage@${connections}`].p50Ms} / ${h[`damage@${connections}`].p99Ms} |`,
      );
    }
    lines.push("");
  }
  for (const kind of ["sqlite", "postgresql"]) {
    const b = report.results[`batches_${kind}`];
    if (!b) continue;
    lines.push(
      `## Batches on ${kind} (POST /api/v1/changes; 16 connections; median of interleaved rounds)`,
      "",
      "| path | changes/s | p99 ms |",
      "|---|---:|---:|",
      `| single POST …/damage (one change per request) | ${b.singleReqPerSec} | |`,
      `| batch of 100 damage changes (${b.batchReqPerSec} req/s) | ${b.batchChangesPerSec} | ${b.batchP99Ms} |`,
      `| raw driver, 100 UPDATE + ledger INSERT per transaction, serial | ${b.rawChangesPerSec} | |`,
      "",
      `1,000-change combat round (one batch, 1,000 players), end to end: median **${b.combatRoundMedianMs} ms**, p99 ${b.combatRoundP99Ms} ms`,
      "",
    );
  }
  if (report.results.invalidationLag) {
    const l = report.results.invalidationLag;
    lines.push("## Cross-instance invalidation (PostgreSQL LISTEN/NOTIFY)", "", `${l.writes} writes: commit → other instance notified p50 **${l.p50Ms} ms**, p99 **${l.p99Ms} ms**`, "");
  }
  if (report.results.consoleScale) {
    const c = report.results.consoleScale;
    const names = Object.keys(c.rows[0].p95Ms);
    lines.push(
      `## Console APIs at scale (SQLite; ${c.eventsPerPlayer} ledger rows per player, one player with ${c.busyPlayerEvents}; p95 ms of sequential requests)`,
      "",
      `| request | ${c.rows.map((row: { players: number; ledgerRows: number }) => `${row.players.toLocaleString("en-US")} players / ${row.ledgerRows.toLocaleString("en-US")} rows`).join(" | ")} |`,
      `|---|${c.rows.map(() => "---:").join("|")}|`,
    );
    for (const name of names) lines.push(`| ${name} | ${c.rows.map((row: { p95Ms: Record<string, number> }) => row.p95Ms[name]).join(" | ")} |`);
    lines.push("", `Fixture build: ${c.rows.map((row: { players: number; buildSeconds: number }) => `${row.players.toLocaleString("en-US")} players ${row.buildSeconds} s`).join(", ")}`, "");
  }
  lines.push("## Verdicts", "", "| target | value | threshold | |", "|---|---:|---|---|");
  for (const verdict of report.verdicts) lines.push(`| ${verdict.target} | ${verdict.value} | ${verdict.threshold} | ${verdict.pass ? "PASS" : "**FAIL**"} |`);
  return lines.join("\n") + "\n";
}

main().catch((error: unknown) => {
  console.error("bench failed:", error);
  process.exitCode = 1;
});
