import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { PostgresInvalidationBus } from "../../lib/cache/postgres-invalidation-bus.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import type { PersistenceContext } from "../../lib/persistence/persistence-context.ts";
import { createSecondInstance, createTestContext, system, testDialect, waitFor } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };

/** Two app instances (own caches, own listeners) on one PostgreSQL database. */
describe.runIf(testDialect === "postgresql")("cross-instance cache coherence over LISTEN/NOTIFY", () => {
  let t: TestContext;
  let b: PersistenceContext;
  let busB: PostgresInvalidationBus;
  beforeEach(async () => {
    t = await createTestContext();
    // A lost listener stays down for 3 s before its first reconnect, so the test of "no stale reads
    // while the listener is down" cannot race the reconnect on a slow machine.
    b = createSecondInstance(t, "instance-b", { listenerFirstReconnectDelayMs: 3_000 });
    busB = b.bus as PostgresInvalidationBus;
    await busB.ready();
  });
  afterEach(async () => {
    await b.bus.close();
    await b.db.$disconnect();
    await t.close();
  });

  it("a write on A invalidates B's cached copy within 100 ms of the commit", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await getPlayerOrThrow(b, id);
    expect((await getPlayerOrThrow(b, id)).cache).toBe("hit");
    const lags: number[] = [];
    for (let round = 1; round <= 20; round += 1) {
      await damagePlayer(t.ctx, id, 1, {}, service);
      const committedAt = Date.now();
      await waitFor(async () => (await getPlayerOrThrow(b, id)).player.health === 100 - round, 1_000, `B to see write ${round}`);
      lags.push(Date.now() - committedAt);
    }
    lags.sort((x, y) => x - y);
    expect(lags[lags.length - 1]).toBeLessThan(100);
    expect(busB.status().lagMs.samples).toBeGreaterThanOrEqual(20);
  });

  it("a rolled-back write sends no invalidation", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await getPlayerOrThrow(b, id);
    const before = b.cache.counters.invalidations.event;
    // Force a rollback at the very end of the transaction: the ledger insert of this actor violates a
    // constraint, after the health change (and before the NOTIFY would be sent).
    await t.sql.execute(`ALTER TABLE "PlayerEvent" ADD CONSTRAINT sabotage CHECK ("actor" <> 'doomed')`);
    await expect(damagePlayer(t.ctx, id, 5, {}, { actor: { name: "doomed", kind: "service" } })).rejects.toThrow();
    await damagePlayer(t.ctx, id, 5, {}, service); // a committed write afterwards, as a marker
    await waitFor(() => b.cache.counters.invalidations.event > before, 2_000, "the marker's invalidation");
    expect(b.cache.counters.invalidations.event).toBe(before + 1);
    expect((await getPlayerOrThrow(b, id)).player.health).toBe(95);
  });

  it("a write that bypasses the app (a manual fix in SQL) still invalidates every cache", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await getPlayerOrThrow(t.ctx, id);
    await getPlayerOrThrow(b, id);
    await t.sql.execute(`UPDATE "Player" SET "health" = 55, "version" = "version" + 1 WHERE "id" = '${id}'`);
    for (const instance of [t.ctx, b]) {
      await waitFor(async () => (await getPlayerOrThrow(instance, id)).player.health === 55, 1_000, `${instance.instanceId} to drop its copy`);
    }
  });

  it("after losing its listener connection, B serves no stale data, reconnects and flushes", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await getPlayerOrThrow(b, id); // cached on B
    const pid = await busB.listenerBackendPid();
    expect(pid).not.toBeNull();
    const admin = new pg.Client({ connectionString: inject("postgres").adminUrl });
    await admin.connect();
    try {
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    } finally {
      await admin.end();
    }
    await waitFor(() => !busB.healthy, 2_000, "B to notice the lost listener");
    // While B's listener is down, writes on A must still be visible on B (cache bypassed).
    for (let round = 1; round <= 5; round += 1) {
      await damagePlayer(t.ctx, id, 1, {}, service);
      const read = await getPlayerOrThrow(b, id);
      expect(read.player.health).toBe(100 - round);
    }
    expect(busB.healthy).toBe(false); // the loop ran while the listener was down
    await busB.ready(10_000);
    expect(busB.status()).toMatchObject({ state: "listening", reconnects: 1 });
    expect(b.cache.size).toBe(0); // flushed on reconnect
    await damagePlayer(t.ctx, id, 1, {}, service);
    await waitFor(async () => (await getPlayerOrThrow(b, id)).player.health === 94, 1_000, "B to see the write after reconnecting");
  });
});
