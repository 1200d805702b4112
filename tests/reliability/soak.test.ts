import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { startAppServer } from "../helpers/app-server.ts";
import type { AppServer } from "../helpers/app-server.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";
import { postgresReachable, provisionDatabase } from "../helpers/provision-database.ts";
import { openRawSql } from "../helpers/test-database.ts";

/** V8 old-space limit of the soak's servers (MiB). */
const SOAK_OLD_SPACE_MIB = 192;

/** Bounded by default (PNAKOTIC_SOAK_SECONDS, 60 s in `npm test`); run longer to soak for real. */
const SOAK_SECONDS = Number(process.env.PNAKOTIC_SOAK_SECONDS ?? 60);
const CACHE_BOUND = 40;
const PLAYERS = 120;
const CLIENTS_PER_INSTANCE = 4;

/** Resident memory of a process and its descendants, in MiB (Linux /proc). */
function rssMiB(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let totalKiB = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      totalKiB += Number(match?.[1] ?? 0);
    } catch {
      // ended
    }
    pending.push(...(children.get(pid) ?? []));
  }
  return totalKiB / 1024;
}

describe("soak: mixed load across two instances on PostgreSQL", () => {
  it(`${SOAK_SECONDS} s: memory flat, cache within its bound, no error-log entries, ledger reconciles`, async (context) => {
    if (!(await postgresReachable())) context.skip();
    const database = await provisionDatabase("postgresql");
    const env = { DATABASE_URL: database.url, CACHE_MAX_ENTRIES: String(CACHE_BOUND), CACHE_TTL_MS: "30000" };
    const servers: AppServer[] = [];
    const sql = await openRawSql(parseConfig({ DATABASE_URL: database.url }));
    try {
      // Old space capped, as an operator would run it: V8 then settles at its working size early
      // instead of growing its heap for minutes (which looked like a leak in a 60 s window), and a
      // real leak ends in an out-of-memory crash, which the status checks below catch.
      const capped = { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${SOAK_OLD_SPACE_MIB}`.trim() };
      servers.push(await startAppServer({ env: { ...capped, INSTANCE_ID: "soak-a" }, waitForListener: true }));
      servers.push(await startAppServer({ env: { ...capped, INSTANCE_ID: "soak-b" }, waitForListener: true }));
      const headers = { Authorization: `Bearer ${database.serviceToken}`, "Content-Type": "application/json" };
      const players: string[] = [];
      for (let index = 0; index < PLAYERS; index += 1) {
        const response = await fetch(`${servers[0]!.baseUrl}/api/v1/players`, { method: "POST", headers, body: JSON.stringify({ name: `soak-${index}` }) });
        players.push(((await response.json()) as { id: string }).id);
      }

      let seed = 7;
      const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
      // Skewed popularity (a few hot players), like a real game's.
      const pick = () => players[Math.floor(players.length * random() ** 3)]!;
      const counts = { requests: 0, unexpected: 0 };
      const maxEntries: number[] = [];
      let running = true;
      const client = async (server: AppServer) => {
        while (running) {
          const roll = random();
          const id = pick();
          const [method, path, body] =
            roll < 0.7
              ? ["GET", `/api/v1/players/${id}`, undefined]
              : roll < 0.8
                ? ["POST", `/api/v1/players/${id}/damage`, { amount: 1 + Math.floor(random() * 5) }]
                : roll < 0.9
                  ? ["POST", `/api/v1/players/${id}/heal`, { amount: 3 }]
                  : roll < 0.97
                    ? ["POST", `/api/v1/players/${id}/experience`, { amount: 2 }]
                    : ["GET", `/api/v1/players?limit=20`, undefined];
          const response = await fetch(`${server.baseUrl}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
          await response.arrayBuffer();
          counts.requests += 1;
          if (response.status !== 200 && !(response.status === 422 && path.endsWith("/heal"))) counts.unexpected += 1;
        }
      };
      const load = servers.flatMap((server) => Array.from({ length: CLIENTS_PER_INSTANCE }, () => client(server)));

      // One reading per second per instance: resident memory and cache entries.
      const rss: number[][] = servers.map(() => []);
      const deadline = Date.now() + SOAK_SECONDS * 1000;
      while (Date.now() < deadline) {
        for (const [index, server] of servers.entries()) {
          const health = (await (await fetch(`${server.baseUrl}/api/health`)).json()) as { cache: { entries: number } };
          maxEntries.push(health.cache.entries);
          rss[index]!.push(rssMiB(server.process.pid!));
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      running = false;
      await Promise.all(load);
      // V8 grows its heap to a working size under load first; "flat" means it then plateaus: the
      // last third of the run peaks no higher than the middle third (plus GC noise).
      const third = (series: number[], part: 0 | 1 | 2) => series.slice(Math.floor((series.length * part) / 3), Math.floor((series.length * (part + 1)) / 3));
      const rssStart = rss.map((series) => series[0]!);
      const rssEnd = rss.map((series) => series[series.length - 1]!);
      const middlePeak = rss.map((series) => Math.max(...third(series, 1)));
      const lastPeak = rss.map((series) => Math.max(...third(series, 2)));

      const errors = await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "ErrorLogEntry"`);
      console.log(
        `soak: ${SOAK_SECONDS} s, ${counts.requests} requests (${Math.round(counts.requests / SOAK_SECONDS)}/s), ` +
          `RSS MiB start ${rssStart.map((v) => v.toFixed(0)).join("/")} → end ${rssEnd.map((v) => v.toFixed(0)).join("/")} ` +
          `(peak middle third ${middlePeak.map((v) => v.toFixed(0)).join("/")}, last third ${lastPeak.map((v) => v.toFixed(0)).join("/")}), ` +
          `max cache entries ${Math.max(...maxEntries)} (bound ${CACHE_BOUND}), error-log entries ${errors?.n}`,
      );
      expect(counts.unexpected).toBe(0);
      expect(errors).toEqual({ n: 0 });
      expect(Math.max(...maxEntries)).toBeLessThanOrEqual(CACHE_BOUND);
      lastPeak.forEach((peak, index) => expect(peak).toBeLessThan(middlePeak[index]! * 1.1 + 15));
      for (const id of players.slice(0, 10)) expect(await reconcilePlayer(sql, id, { health: 100, experience: 0, level: 1 })).toEqual([]);
    } finally {
      for (const server of servers) await server.stop();
      await sql.close();
      await database.remove();
    }
  });
});
