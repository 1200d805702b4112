import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attachErrorLogSink } from "../../lib/logging/error-log-sink.ts";
import { MetricSampler } from "../../lib/metrics/metric-sampler.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

describe("errors are never silent", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("an unexpected database failure is rethrown, counted, written to the error log, and changes nothing", async () => {
    const errorLog = attachErrorLogSink(t.ctx.db);
    try {
      const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
      // Sabotage the table from outside the app: every health update now fails inside the transaction.
      await t.sql.execute(
        t.dialect === "sqlite"
          ? `CREATE TRIGGER sabotage BEFORE UPDATE OF "health" ON "Player" BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`
          : `CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$;
             CREATE TRIGGER sabotage BEFORE UPDATE OF "health" ON "Player" FOR EACH ROW EXECUTE FUNCTION sabotage();`,
      );

      await expect(damagePlayer(t.ctx, id, 10, {}, { ...system, requestId: "req-boom" })).rejects.toThrow(/disk on fire/);
      expect(t.ctx.metrics.persistenceErrors.damage).toBe(1);
      expect((await t.sql.get(`SELECT "health", "version" FROM "Player"`))).toEqual({ health: 100, version: 1 });
      expect((await t.sql.get(`SELECT COUNT(*) AS n FROM "PlayerEvent"`))).toEqual({ n: 0 });

      await errorLog.flush();
      const logged = (await t.sql.all(`SELECT "level", "module", "message", "requestId", "stack" FROM "ErrorLogEntry"`)) as Array<Record<string, string>>;
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: "error", module: "persistence", message: "player damage failed", requestId: "req-boom" });
      expect(logged[0]!.stack).toMatch(/disk on fire/);
    } finally {
      errorLog.detach();
    }
  });
});

describe("metrics history", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("stores counter deltas per interval and prunes samples past the retention", async () => {
    const sampler = new MetricSampler({
      db: t.ctx.db,
      cache: t.ctx.cache,
      metrics: t.ctx.metrics,
      logger: t.ctx.logger,
      instanceId: "test",
      intervalMs: 10_000,
      retentionDays: 7,
    });
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    const { player } = await getPlayerOrThrow(t.ctx, id); // miss
    await getPlayerOrThrow(t.ctx, id); // hit
    await damagePlayer(t.ctx, id, 10, {}, system); // write invalidation
    await expect(savePlayer(t.ctx, id, player, player.version, { ...system, merge: "none" })).rejects.toThrow(); // stale, refused
    await sampler.sample(new Date());
    await getPlayerOrThrow(t.ctx, id); // hit (post-commit state was offered)
    await sampler.sample(new Date());

    const samples = (await t.sql.all(`SELECT "hits", "misses", "invalidationsWrite", "staleSavesRefused", "writes", "entries", "writeLatencyP50Ms" FROM "CacheMetricSample" ORDER BY "id"`)) as Array<Record<string, number | null>>;
    expect(samples).toHaveLength(2);
    expect(samples[0]).toMatchObject({ hits: 1, misses: 1, invalidationsWrite: 1, staleSavesRefused: 1, writes: 2, entries: 1 });
    expect(samples[0]!.writeLatencyP50Ms).toBeGreaterThan(0);
    expect(samples[1]).toMatchObject({ hits: 1, misses: 0, invalidationsWrite: 0, staleSavesRefused: 0, writes: 0, writeLatencyP50Ms: null });

    await sampler.sample(new Date(Date.now() + 8 * 24 * 3_600_000));
    expect((await t.sql.get(`SELECT COUNT(*) AS n FROM "CacheMetricSample"`))).toEqual({ n: 1 });
  });
});
