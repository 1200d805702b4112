import pg from "pg";
import { describe, expect, it } from "vitest";
import { startAppServer } from "../helpers/app-server.ts";
import { postgresReachable, provisionDatabase } from "../helpers/provision-database.ts";

/**
 * A real crash between reserving an Idempotency-Key and committing the write: the test holds the
 * player's row lock (PostgreSQL, SELECT … FOR UPDATE), so the server's damage write waits after
 * the reservation has been stored; then the server is killed with SIGKILL and the lock released.
 * The reservation stays behind, in progress. A retry with the same key against the restarted
 * server must succeed promptly and apply the damage exactly once.
 */
describe("Idempotency-Key after SIGKILL mid-request (PostgreSQL)", () => {
  it("a reservation left by a killed process is taken over by the retry, which applies once", async (context) => {
    if (!(await postgresReachable())) context.skip();
    const database = await provisionDatabase("postgresql");
    const env = { DATABASE_URL: database.url, IDEMPOTENCY_LEASE_MS: "2000" };
    let server = await startAppServer({ env });
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      const headers = { Authorization: `Bearer ${database.serviceToken}`, "Content-Type": "application/json" };
      const created = await fetch(`${server.baseUrl}/api/v1/players`, { method: "POST", headers, body: JSON.stringify({ name: "kill-me-mid-request" }) });
      const player = (await created.json()) as { id: string; health: number };
      const damage = { method: "POST", headers: { ...headers, "Idempotency-Key": "kill-9-key" }, body: JSON.stringify({ amount: 11 }) };

      await locker.query("BEGIN");
      await locker.query(`SELECT 1 FROM "Player" WHERE "id" = $1 FOR UPDATE`, [player.id]);
      const inFlight = fetch(`${server.baseUrl}/api/v1/players/${player.id}/damage`, damage).then(
        (response) => response.status,
        () => "connection lost",
      );
      // Wait (bounded) until the server has stored its reservation and is blocked on the row.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const rows = await locker.query(`SELECT "status" FROM "IdempotencyRecord" WHERE "key" = 'kill-9-key'`);
        if (rows.rowCount === 1) break;
        if (Date.now() > deadline) throw new Error("the reservation never appeared");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await server.kill();
      expect(await inFlight).toBe("connection lost");
      // The dead process's database session still holds its UPDATE, queued behind our lock: a
      // single statement commits on its own once it runs, client or no client. A crash before the
      // write committed means that session ends too (PostgreSQL notices a dead client only when it
      // next talks to it, so end it here); the other case — the write committed, the response was
      // lost — is tests/api/idempotency-crash.test.ts's.
      await locker.query(
        `SELECT pg_terminate_backend("pid") FROM pg_stat_activity WHERE "datname" = current_database() AND "pid" <> pg_backend_pid() AND "application_name" LIKE 'pnakotic%'`,
      );
      await locker.query("ROLLBACK");
      const left = await locker.query(`SELECT "status" FROM "IdempotencyRecord" WHERE "key" = 'kill-9-key'`);
      expect(left.rows).toEqual([{ status: 0 }]); // in progress, with nobody left to finish it
      expect((await locker.query(`SELECT count(*)::int AS n FROM "PlayerEvent" WHERE "playerId" = $1`, [player.id])).rows[0].n).toBe(0);

      server = await startAppServer({ env });
      const started = Date.now();
      const retry = await fetch(`${server.baseUrl}/api/v1/players/${player.id}/damage`, damage);
      expect(retry.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000 + 3_000);
      const replay = await fetch(`${server.baseUrl}/api/v1/players/${player.id}/damage`, damage);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");

      const stored = await locker.query(`SELECT "health" FROM "Player" WHERE "id" = $1`, [player.id]);
      expect(stored.rows[0].health).toBe(player.health - 11);
      const ledger = await locker.query(`SELECT "delta" FROM "PlayerEvent" WHERE "playerId" = $1`, [player.id]);
      expect(ledger.rows).toEqual([{ delta: -11 }]);
    } finally {
      await locker.end();
      await server.stop();
      await database.remove();
    }
  });
});
