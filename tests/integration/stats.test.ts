import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { updateStats } from "../../lib/player-operations/update-stats.ts";
import { runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { declareStats } from "../../lib/stats/declare-stats.ts";
import { demoStatDeclarations } from "../../lib/stats/stat-definition.ts";
import { createSecondInstance, createTestContext, system, waitFor } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };
const support = { actor: { name: "support-anna", kind: "staff" as const }, requestId: "req-support" };

/** Every stat a game keeps: declared, atomic, clamped, ledgered (SQLite and PostgreSQL). */
describe("declared stats", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
    await declareStats(t.ctx, demoStatDeclarations, system);
  });
  afterEach(async () => {
    await t.close();
  });

  const stored = async (id: string) => {
    const row = (await t.sql.get<{ health: number; version: number; stats: unknown }>(`SELECT "health", "version", "stats" FROM "Player" WHERE "id" = ?`, id))!;
    return { health: row.health, version: row.version, stats: (typeof row.stats === "string" ? JSON.parse(row.stats) : row.stats) as Record<string, number> };
  };

  it("a spell costs 10 mana and heals 15 health in one change: one version bump, two ledger rows", async () => {
    const player = await createPlayer(t.ctx, { name: "Asenath", health: 60 }, system);
    expect(player.stats).toMatchObject({ mana: 50, maxMana: 50, lucidity: 100, gold: 0, strength: 10 });
    const spell = await updateStats(
      t.ctx,
      player.id,
      { changes: [{ stat: "mana", op: "add", value: -10 }, { stat: "health", op: "add", value: 15 }], source: "spell:cure-light-wounds" },
      service,
    );
    expect(spell.player).toMatchObject({ health: 75, version: 2, stats: expect.objectContaining({ mana: 40 }) });
    expect(spell.events.map(({ field, before, after, reason, playerVersion }) => ({ field, before, after, reason, playerVersion }))).toEqual([
      { field: "health", before: 60, after: 75, reason: "stat", playerVersion: 2 },
      { field: "mana", before: 50, after: 40, reason: "stat", playerVersion: 2 },
    ]);
    expect(new Set(spell.events.map((event) => event.changeId)).size).toBe(1);
    expect(await reconcilePlayer(t.sql, player.id, { health: 60, mana: 50 })).toEqual([]);
  });

  it("add clamps to the bounds (including a bound that is another stat); set outside them is refused", async () => {
    const player = await createPlayer(t.ctx, { name: "Carter" }, system);
    expect((await updateStats(t.ctx, player.id, { changes: [{ stat: "lucidity", op: "add", value: 500 }] }, service)).player.stats.lucidity).toBe(100);
    expect((await updateStats(t.ctx, player.id, { changes: [{ stat: "gold", op: "add", value: -5 }] }, service)).events[0]).toMatchObject({ before: 0, after: 0, delta: 0 });
    const before = await stored(player.id);
    await expect(updateStats(t.ctx, player.id, { changes: [{ stat: "lucidity", op: "set", value: 101 }] }, service)).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/lucidity must be between 0 and 100 \(maxLucidity\)/),
    });
    expect(await stored(player.id)).toEqual(before);
    // Raising the bound and the value together works: the bound is taken at its new value.
    const both = await updateStats(t.ctx, player.id, { changes: [{ stat: "maxLucidity", op: "set", value: 150 }, { stat: "lucidity", op: "set", value: 140 }] }, service);
    expect(both.player.stats).toMatchObject({ maxLucidity: 150, lucidity: 140 });
  });

  it("is all or nothing: one bad change (unknown stat, non-integer, out of range, level) changes nothing", async () => {
    const player = await createPlayer(t.ctx, { name: "West" }, system);
    const before = await stored(player.id);
    const bad = [
      { changes: [{ stat: "mana", op: "add", value: -5 }, { stat: "sanityy", op: "add", value: 1 }] },
      { changes: [{ stat: "mana", op: "add", value: -5 }, { stat: "gold", op: "add", value: 1.5 }] },
      { changes: [{ stat: "mana", op: "add", value: -5 }, { stat: "strength", op: "set", value: 101 }] },
      { changes: [{ stat: "mana", op: "add", value: -5 }, { stat: "level", op: "set", value: 3 }] },
      { changes: [{ stat: "mana", op: "add", value: -5 }, { stat: "mana", op: "add", value: -5 }] },
      { changes: [] },
    ];
    for (const update of bad) {
      await expect(updateStats(t.ctx, player.id, update as never, service)).rejects.toMatchObject({ code: "invalid_input" });
    }
    expect(await stored(player.id)).toEqual(before);
    expect(await t.sql.all(`SELECT "id" FROM "PlayerEvent" WHERE "playerId" = ?`, player.id)).toEqual([]);
  });

  it("16 callers adding to 3 stats of one player concurrently: nothing lost, the ledger reconciles exactly", async () => {
    const player = await createPlayer(t.ctx, { name: "Olmstead", maxHealth: 1_000_000, health: 500_000, stats: { gold: 1_000 } }, system);
    const callers = Array.from({ length: 16 }, async (_, caller) => {
      for (let round = 0; round < 20; round += 1) {
        await updateStats(
          t.ctx,
          player.id,
          {
            changes: [
              { stat: "gold", op: "add", value: caller % 2 === 0 ? 3 : -1 },
              { stat: "health", op: "add", value: -1 },
              { stat: "strength", op: "add", value: round % 2 === 0 ? 1 : -1 },
            ],
          },
          service,
        );
      }
    });
    await Promise.all(callers);
    const after = await stored(player.id);
    expect(after).toEqual({ health: 500_000 - 320, version: 321, stats: expect.objectContaining({ gold: 1_000 + 8 * 20 * 3 - 8 * 20, strength: 10 }) });
    expect(await reconcilePlayer(t.sql, player.id, { health: 500_000, gold: 1_000 })).toEqual([]);
  });

  it("a bound that is another stat holds under concurrency: lowering maxLucidity while lucidity rises", async () => {
    const player = await createPlayer(t.ctx, { name: "Lavinia", stats: { maxLucidity: 1_000, lucidity: 0 } }, system);
    const rising = (async () => {
      for (let round = 0; round < 40; round += 1) await updateStats(t.ctx, player.id, { changes: [{ stat: "lucidity", op: "add", value: 25 }] }, service);
    })();
    const lowering = (async () => {
      for (let max = 1_000; max >= 200; max -= 40) await updateStats(t.ctx, player.id, { changes: [{ stat: "maxLucidity", op: "set", value: max }] }, service);
    })();
    await Promise.all([rising, lowering]);
    const after = await stored(player.id);
    expect(after.stats.maxLucidity).toBe(200);
    expect(after.stats.lucidity).toBeLessThanOrEqual(200);
    expect(await reconcilePlayer(t.sql, player.id, { lucidity: 0, maxLucidity: 1_000 })).toEqual([]);
    expect((await runIntegrityCheck(t.ctx, { trigger: "manual", actor: "test" })).findings).toEqual([]);
  });

  it("support corrects any stat with a reason (audited); without a reason it is refused", async () => {
    const player = await createPlayer(t.ctx, { name: "Wilbur" }, system);
    await expect(updateStats(t.ctx, player.id, { changes: [{ stat: "gold", op: "set", value: 500 }] }, support)).rejects.toMatchObject({ code: "invalid_input" });
    const corrected = await updateStats(t.ctx, player.id, { changes: [{ stat: "gold", op: "set", value: 500 }], reason: "refund for a bugged vendor (#88)" }, support);
    expect(corrected.event).toMatchObject({ field: "gold", before: 0, after: 500, reason: "correction", actor: "support-anna" });
    expect(await t.sql.all(`SELECT "action", "before", "after", "reason" FROM "AuditEntry" WHERE "playerId" = ?`, player.id)).toEqual([
      { action: "player.stat_correction", before: { gold: 0 }, after: { gold: 500 }, reason: "refund for a bugged vendor (#88)" },
    ]);
  });

  it("damage still follows the health rules; whole saves carry stats back", async () => {
    const player = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await damagePlayer(t.ctx, player.id, 500, {}, service);
    await expect(updateStats(t.ctx, player.id, { changes: [{ stat: "health", op: "add", value: 5 }] }, service)).rejects.toMatchObject({ code: "player_dead" });
    const current = (await stored(player.id)).version;
    const saved = await savePlayer(t.ctx, player.id, { ...player, health: -10, stats: { ...player.stats, gold: 42, lucidity: 90 } }, current, service);
    expect(saved.player.stats).toMatchObject({ gold: 42, lucidity: 90, mana: 50 });
    expect(saved.events.map((event) => event.field).sort()).toEqual(["gold", "lucidity"]);
  });

  it("a stat declared on one instance is known to another without a restart (within the registry's refresh)", async () => {
    const other = createSecondInstance(t, "instance-b");
    try {
      const player = await createPlayer(t.ctx, { name: "Randolph" }, system);
      expect((await other.stats.get("hunger")) ?? null).toBeNull();
      await declareStats(t.ctx, [{ key: "hunger", label: "Hunger", min: 0, max: 100, default: 0 }], system);
      // This instance: at once.
      expect((await updateStats(t.ctx, player.id, { changes: [{ stat: "hunger", op: "add", value: 30 }] }, service)).player.stats.hunger).toBe(30);
      // The other: within the 2 s refresh.
      await waitFor(async () => (await other.stats.get("hunger")) !== undefined, 5_000, "instance B to learn the new stat");
      expect((await updateStats(other, player.id, { changes: [{ stat: "hunger", op: "add", value: 5 }] }, service)).player.stats.hunger).toBe(35);
      expect(await t.sql.all(`SELECT "field", "before", "after" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id"`, player.id)).toEqual([
        { field: "hunger", before: 0, after: 30 },
        { field: "hunger", before: 30, after: 35 },
      ]);
    } finally {
      await other.bus.close();
      await other.writer.close();
      await other.db.$disconnect();
    }
  });
});
