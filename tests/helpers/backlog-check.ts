import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseConfig } from "../../lib/config.ts";
import { createApiToken } from "../../lib/auth/staff-users.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { startAppServer } from "./app-server.ts";
import type { AppServer } from "./app-server.ts";
import { appendLedgerBacklog } from "./ledger-backlog.ts";
import { provisionDatabase } from "./provision-database.ts";
import type { ProvisionedDatabase } from "./provision-database.ts";

export const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
};

/** Resident memory of a process, from /proc (Linux). */
const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

export interface RunSummary {
  id: string;
  status: string;
  durationMs: number | null;
  eventsScanned: number;
  findingCount: number;
}

export interface BacklogCheck {
  database: ProvisionedDatabase;
  server: AppServer;
  /** An admin token's headers. */
  headers: Record<string, string>;
  playerId: string;
  /** /api/health latencies (ms) in the 3 s before the check, and while it ran. */
  baseline: number[];
  during: number[];
  /** Probes that failed (a status other than 200, a timeout, a reset). */
  failures: string[];
  /** The largest rows-so-far count a health answer showed for the running check. */
  progressSeen: number;
  answeredMs: number;
  run: RunSummary;
  rssBefore: number;
  rssPeak: number;
  close(): Promise<void>;
}

/**
 * Issue 20's scenario, shared by tests/reliability/integrity-backlog.test.ts and
 * bench/integrity-backlog.ts: a real server on a fresh database, one player with `rows` ledger rows
 * since its last check (and `prepare` for anything else), /api/health probed every 100 ms (5 s
 * timeout), then POST /api/v1/integrity/runs and polling until the run ends.
 */
export async function runBacklogCheck(kind: "sqlite" | "postgresql", rows: number, prepare: (check: Pick<BacklogCheck, "database" | "server" | "headers">) => Promise<void> = async () => undefined): Promise<BacklogCheck> {
  const database = await provisionDatabase(kind);
  const db = createPrismaClient(parseConfig({ DATABASE_URL: database.url }));
  const { token } = await createApiToken(db, { name: "backlog-admin", role: "admin" });
  await db.$disconnect();
  const server = await startAppServer({ env: { DATABASE_URL: database.url, INTEGRITY_CHECK_INTERVAL_MS: "0" } });
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const close = async () => {
    await server.stop();
    await database.remove();
  };
  try {
    const api = async <T>(path: string, init: RequestInit = {}) => {
      const response = await fetch(`${server.baseUrl}${path}`, { ...init, headers });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const player = await api<{ id: string }>("/api/v1/players", { method: "POST", body: JSON.stringify({ name: "Backlogged" }) });
    await appendLedgerBacklog(database.url, player.id, rows);
    await prepare({ database, server, headers });

    const rssBefore = rssBytes(server.process.pid!);
    let rssPeak = rssBefore;
    let latencies: number[] = [];
    const failures: string[] = [];
    let progressSeen = 0;
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        try {
          const response = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
          const health = (await response.json()) as { integrity?: { running: { eventsScanned: number } | null } };
          latencies.push(performance.now() - started);
          if (response.status !== 200) failures.push(`status ${response.status}`);
          progressSeen = Math.max(progressSeen, health.integrity?.running?.eventsScanned ?? 0);
        } catch (error) {
          failures.push(String(error));
        }
        rssPeak = Math.max(rssPeak, rssBytes(server.process.pid!));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const baseline = latencies;
    latencies = [];
    const requested = performance.now();
    const answer = await api<{ run: RunSummary }>("/api/v1/integrity/runs", { method: "POST" });
    const answeredMs = performance.now() - requested;
    let run = answer.run;
    const deadline = Date.now() + 3_600_000;
    while (run.status === "queued" || run.status === "running") {
      if (Date.now() > deadline) throw new Error("the check did not finish within an hour");
      await new Promise((resolve) => setTimeout(resolve, 500));
      const latest = await api<{ run: RunSummary | null }>("/api/v1/integrity");
      if (latest.run?.id === run.id) run = latest.run;
    }
    probing = false;
    await probe;
    return { database, server, headers, playerId: player.id, baseline, during: latencies, failures, progressSeen, answeredMs, run, rssBefore, rssPeak, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export function describeBacklogCheck(kind: string, rows: number, check: BacklogCheck): string {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  return (
    `${kind}: ${rows} rows checked in ${check.run.durationMs} ms (POST answered in ${check.answeredMs.toFixed(0)} ms); ` +
    `/api/health ${check.during.length} probes during, p50 ${percentile(check.during, 0.5).toFixed(1)} ms, p99 ${percentile(check.during, 0.99).toFixed(1)} ms, max ${percentile(check.during, 1).toFixed(1)} ms, ${check.failures.length} failed ` +
    `(baseline p99 ${percentile(check.baseline, 0.99).toFixed(1)} ms); RSS ${mib(check.rssBefore)} → peak ${mib(check.rssPeak)} MiB`
  );
}
