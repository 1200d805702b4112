/**
 * Console APIs at scale: p95 of the requests behind the overview, the players list (search, status
 * filter, sort) and a player page, against a real `next start` on fixtures of growing size
 * (bench/console-fixture.ts). Sequential requests, so p95 is one request's cost, not queueing.
 */
import { performance } from "node:perf_hooks";
import { parseConfig } from "../lib/config.ts";
import { createStaffUser } from "../lib/auth/staff-users.ts";
import { createPrismaClient } from "../lib/persistence/prisma-client.ts";
import { startAppServer } from "../tests/helpers/app-server.ts";
import { buildConsoleFixture } from "./console-fixture.ts";
import { percentile, round } from "./measure.ts";

export interface ConsoleScaleRow {
  players: number;
  ledgerRows: number;
  buildSeconds: number;
  /** p95 in ms per request name. */
  p95Ms: Record<string, number>;
}

export const P95_TARGET_MS = 200;
/**
 * Requests per route before measuring: the first ones after a server start pay for JIT, Prisma's
 * query compilation and SQLite's page cache (the overview's first answers take ≈ 300 ms, then
 * 10–30 ms); a console kept open all evening is warm.
 */
const WARMUP_REQUESTS = 15;

async function p95(url: string, cookie: string, requests: number): Promise<number> {
  const latencies: number[] = [];
  for (let i = 0; i < requests + WARMUP_REQUESTS; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: { Cookie: cookie } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (i >= WARMUP_REQUESTS) latencies.push(performance.now() - started);
  }
  return percentile(latencies.sort((a, b) => a - b), 0.95);
}

export async function consoleScale(options: { sizes: number[]; eventsPerPlayer: number; busyPlayerEvents: number; requests: number; progress: (message: string) => void }): Promise<ConsoleScaleRow[]> {
  const rows: ConsoleScaleRow[] = [];
  for (const players of options.sizes) {
    options.progress(`console: building ${players.toLocaleString("en-US")} players × ${options.eventsPerPlayer} ledger rows…`);
    const fixture = buildConsoleFixture({ players, eventsPerPlayer: options.eventsPerPlayer, busyPlayerEvents: options.busyPlayerEvents });
    options.progress(`console: built ${fixture.rows.toLocaleString("en-US")} ledger rows in ${fixture.buildSeconds.toFixed(1)} s; measuring…`);
    const url = `file:${fixture.file}`;
    const db = createPrismaClient(parseConfig({ DATABASE_URL: url }));
    await createStaffUser(db, { username: "bench-admin", password: "bench-admin-password", role: "admin" });
    await db.$disconnect();
    // Sampling off: the bench measures reads, not the sampler's writes.
    const server = await startAppServer({ env: { DATABASE_URL: url, LOG_LEVEL: "error", INTEGRITY_CHECK_INTERVAL_MS: "0" } });
    try {
      const signIn = await fetch(`${server.baseUrl}/api/v1/auth/session`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: server.baseUrl },
        body: JSON.stringify({ username: "bench-admin", password: "bench-admin-password" }),
      });
      const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
      const busy = encodeURIComponent(fixture.busyPlayerId);
      const requests: Record<string, string> = {
        overview: "/api/v1/overview",
        "players list": "/api/v1/players?limit=25",
        "players search name": `/api/v1/players?limit=25&search=${fixture.probes.name}`,
        "players search room": `/api/v1/players?limit=25&search=${fixture.probes.room}`,
        "players search id prefix": `/api/v1/players?limit=25&search=${fixture.probes.idPrefix}`,
        "players status=dead": "/api/v1/players?limit=25&status=dead",
        "players sort health": "/api/v1/players?limit=25&sort=health&order=asc",
        "player detail": `/api/v1/players/${busy}`,
        "player ledger page": `/api/v1/players/${busy}/events?order=desc&limit=200`,
        "player health timeline": `/api/v1/players/${busy}/timeline?field=health&range=all`,
      };
      const p95Ms: Record<string, number> = {};
      for (const [name, path] of Object.entries(requests)) p95Ms[name] = round(await p95(`${server.baseUrl}${path}`, cookie, options.requests), 1);
      rows.push({ players, ledgerRows: fixture.rows, buildSeconds: round(fixture.buildSeconds, 1), p95Ms });
      options.progress(`console: ${players} players → ${JSON.stringify(p95Ms)}`);
    } finally {
      await server.stop();
      fixture.remove();
    }
  }
  return rows;
}
