import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { openRawSql, waitFor } from "../helpers/test-database.ts";
import type { RawSql } from "../helpers/test-database.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";

const env = inject("multi");
const { a, b } = env.instances;

async function api<T = Record<string, any>>(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${env.serviceToken}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
}

let counter = 0;
async function createPlayer(overrides: Record<string, unknown> = {}): Promise<string> {
  counter += 1;
  const created = await api(a, "POST", "/api/v1/players", { name: `multi-${Date.now()}-${counter}`, ...overrides });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

let sql: RawSql;
beforeAll(async () => {
  sql = await openRawSql(parseConfig({ DATABASE_URL: env.databaseUrl }));
});
afterAll(async () => {
  await sql.close();
});

describe("two app instances on one PostgreSQL", () => {
  it("a write through A is visible through B's cached read within 100 ms", async () => {
    const id = await createPlayer();
    await api(b, "GET", `/api/v1/players/${id}`);
    expect((await api(b, "GET", `/api/v1/players/${id}`)).headers.get("x-cache")).toBe("hit");
    const delays: number[] = [];
    for (let round = 1; round <= 10; round += 1) {
      expect((await api(a, "POST", `/api/v1/players/${id}/damage`, { amount: 1 })).status).toBe(200);
      const acknowledged = Date.now();
      await waitFor(async () => (await api(b, "GET", `/api/v1/players/${id}`)).body.health === 100 - round, 1_000, `B to see write ${round}`);
      delays.push(Date.now() - acknowledged);
    }
    expect(Math.max(...delays)).toBeLessThan(100);
    // After the invalidation B caches again: coherence did not cost the cache.
    expect((await api(b, "GET", `/api/v1/players/${id}`)).headers.get("x-cache")).toBe("hit");
  });

  it("the seed scenario split across instances (damage via A, XP via B) ends at 70 / 555", async () => {
    const id = await createPlayer({ maxHealth: 100, experiencePoints: 554 });
    await api(b, "GET", `/api/v1/players/${id}`); // B caches the pre-combat copy, like the original bug
    for (let round = 0; round < 3; round += 1) await api(a, "POST", `/api/v1/players/${id}/damage`, { amount: 10 });
    const xp = await api(b, "POST", `/api/v1/players/${id}/experience`, { amount: 1 });
    expect(xp.body.player).toMatchObject({ health: 70, experiencePoints: 555 });
    expect(await sql.get(`SELECT "health", "experiencePoints" FROM "Player" WHERE "id" = ?`, id)).toEqual({ health: 70, experiencePoints: 555 });
    await waitFor(async () => (await api(b, "GET", `/api/v1/players/${id}`)).body.health === 70, 1_000, "B's read");
  });

  it("4 clients per instance hammering the same players: state equals ledger replay, both instances read it", async () => {
    const players = [await createPlayer({ experiencePoints: 554 }), await createPlayer({ experiencePoints: 554 })];
    let seed = 42;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const outcomes: Record<number, number> = {};
    async function client(base: string, operations: number) {
      for (let op = 0; op < operations; op += 1) {
        const id = players[Math.floor(random() * players.length)]!;
        const roll = random();
        let status: number;
        if (roll < 0.35) status = (await api(base, "POST", `/api/v1/players/${id}/damage`, { amount: 1 + Math.floor(random() * 10) })).status;
        else if (roll < 0.55) status = (await api(base, "POST", `/api/v1/players/${id}/heal`, { amount: 1 + Math.floor(random() * 10) })).status;
        else if (roll < 0.75) status = (await api(base, "POST", `/api/v1/players/${id}/experience`, { amount: 5 })).status;
        else if (roll < 0.85) status = (await api(base, "POST", `/api/v1/players/${id}/respawn`, {})).status;
        else {
          // Whole-object save from this instance's (cached) read: applied or refused, never lost.
          const read = await api(base, "GET", `/api/v1/players/${id}`);
          const { name, currentRoomId, professionId, experiencePoints, health, maxHealth, attributes, inventory, statusEffects } = read.body;
          status = (
            await api(
              base,
              "PUT",
              `/api/v1/players/${id}`,
              { name, currentRoomId, professionId, experiencePoints, health, maxHealth, attributes, inventory: [...inventory, op], statusEffects },
              { "If-Match": read.headers.get("etag")! },
            )
          ).status;
        }
        outcomes[status] = (outcomes[status] ?? 0) + 1;
      }
    }
    await Promise.all([...Array.from({ length: 4 }, () => client(a, 40)), ...Array.from({ length: 4 }, () => client(b, 40))]);
    // 200 applied, 409 stale save refused, 422 healing the dead: nothing else.
    expect(Object.keys(outcomes).filter((status) => !["200", "409", "422"].includes(status))).toEqual([]);
    for (const id of players) {
      expect(await reconcilePlayer(sql, id, { health: 100, experience: 554, level: 3 })).toEqual([]);
      const stored = await sql.get<{ health: number; experiencePoints: number; version: number }>(`SELECT "health", "experiencePoints", "version" FROM "Player" WHERE "id" = ?`, id);
      for (const base of [a, b]) {
        await waitFor(async () => {
          const read = (await api(base, "GET", `/api/v1/players/${id}`)).body;
          return read.version === stored!.version && read.health === stored!.health && read.experiencePoints === stored!.experiencePoints;
        }, 1_000, `instance ${base} to read the stored state`);
      }
    }
  });

  it("listener loss: B reconnects, flushes, and serves no stale data meanwhile", async () => {
    const id = await createPlayer();
    await api(b, "GET", `/api/v1/players/${id}`);
    const admin = new pg.Client({ connectionString: env.adminUrl });
    await admin.connect();
    try {
      const terminated = await admin.query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pnakotic-listener:b'`,
        [env.databaseName],
      );
      expect(terminated.rows).toEqual([{ ok: true }]);
    } finally {
      await admin.end();
    }
    for (let round = 1; round <= 5; round += 1) {
      await api(a, "POST", `/api/v1/players/${id}/damage`, { amount: 1 });
      expect((await api(b, "GET", `/api/v1/players/${id}`)).body.health).toBe(100 - round);
    }
    await waitFor(async () => (await api(b, "GET", "/api/health")).body.listener.state === "listening", 10_000, "B's listener to reconnect");
    const health = (await api(b, "GET", "/api/health")).body;
    expect(health.listener.reconnects).toBeGreaterThanOrEqual(1);
    expect(health).toMatchObject({ status: "ok", mode: "postgresql", database: { reachable: true }, cache: { coherent: true } });
  });

  it("database outage mid-load: 503 problem+json, nothing partial; recovers without a restart", async () => {
    const id = await createPlayer({ maxHealth: 100_000 });
    // Clients on both instances stream damage, recording what was acknowledged and what was refused.
    const acknowledged: string[] = [];
    const statuses: Record<number, number> = {};
    let streaming = true;
    let sequence = 0;
    const client = async (base: string) => {
      while (streaming) {
        sequence += 1;
        const requestId = `outage-${sequence}`;
        const response = await api(base, "POST", `/api/v1/players/${id}/damage`, { amount: 1 }, { "X-Request-Id": requestId });
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 200) acknowledged.push(requestId);
        else {
          expect(response.status).toBe(503);
          expect(response.headers.get("content-type")).toBe("application/problem+json");
          expect(response.body).toMatchObject({ code: "database_unavailable" });
          expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|pg_|SELECT|prisma/i);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const load = [client(a), client(a), client(b), client(b)];
    await new Promise((resolve) => setTimeout(resolve, 500));
    const admin = new pg.Client({ connectionString: env.adminUrl });
    await admin.connect();
    try {
      // Block new connections to this database and cut the existing ones: an outage for the app only.
      await admin.query(`ALTER DATABASE "${env.databaseName}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [env.databaseName]);
      await sql.close();
      await waitFor(() => (statuses[503] ?? 0) >= 4, 10_000, "writes to be refused with 503");
      const health = await api(a, "GET", "/api/health");
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: "unavailable", database: { reachable: false }, cache: { coherent: false } });
    } finally {
      await admin.query(`ALTER DATABASE "${env.databaseName}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    // Service resumes by itself, on both instances, under the same load.
    const before = acknowledged.length;
    await waitFor(() => acknowledged.length > before + 20, 20_000, "writes to be acknowledged again");
    streaming = false;
    await Promise.all(load);
    expect(Object.keys(statuses).sort()).toEqual(["200", "503"]);

    sql = await openRawSql(parseConfig({ DATABASE_URL: env.databaseUrl }));
    // Nothing partial: every acknowledged write is in the ledger exactly once, and state = replay.
    const ledgerIds = (await sql.all<{ requestId: string }>(`SELECT "requestId" FROM "PlayerEvent" WHERE "playerId" = ?`, id)).map((row) => row.requestId);
    for (const requestId of acknowledged) expect(ledgerIds.filter((value) => value === requestId)).toHaveLength(1);
    expect(await reconcilePlayer(sql, id, { health: 100_000, experience: 0, level: 1 })).toEqual([]);
    await waitFor(async () => (await api(b, "GET", "/api/health")).body.listener.state === "listening", 20_000, "B's listener to come back");
    console.log(`outage: ${acknowledged.length} acknowledged, ${statuses[503]} refused with 503, all reconciled`);
  });
});
