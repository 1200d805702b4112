import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { playerStateAt } from "../../lib/history/player-state-at.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { healPlayer } from "../../lib/player-operations/heal-player.ts";
import { correctHealth } from "../../lib/player-operations/correct-health.ts";
import { respawnPlayer } from "../../lib/player-operations/respawn-player.ts";
import { previewRestore, previewRevert, restorePlayer, revertChange } from "../../lib/player-operations/restore-player.ts";
import { updateStats } from "../../lib/player-operations/update-stats.ts";
import { declareStats } from "../../lib/stats/declare-stats.ts";
import { demoStatDeclarations } from "../../lib/stats/stat-definition.ts";
import { AppError } from "../../lib/errors/app-error.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };
const support = { actor: { name: "support-anna", kind: "staff" as const } };

/** History you can trust and undo: state at any moment, restore and revert with a preview (SQLite and PostgreSQL). */
describe("player history", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
    await declareStats(t.ctx, demoStatDeclarations, system);
  });
  afterEach(async () => {
    await t.close();
  });

  const storedStats = async (id: string) => {
    const row = (await t.sql.get<{ health: number; maxHealth: number; experiencePoints: number; level: number; stats: unknown }>(
      `SELECT "health", "maxHealth", "experiencePoints", "level", "stats" FROM "Player" WHERE "id" = ?`,
      id,
    ))!;
    const stats = (typeof row.stats === "string" ? JSON.parse(row.stats) : row.stats) as Record<string, number>;
    return { ...stats, health: row.health, maxHealth: row.maxHealth, experience: row.experiencePoints, level: row.level };
  };

  it("rebuilds the state after every event of random histories, and agrees with the stored state now (fast-check)", async () => {
    let playerNumber = 0;
    const operation = fc.oneof(
      fc.record({ kind: fc.constant("damage" as const), amount: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ kind: fc.constant("heal" as const), amount: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ kind: fc.constant("xp" as const), amount: fc.integer({ min: 1, max: 500 }) }),
      fc.record({ kind: fc.constant("spell" as const), mana: fc.integer({ min: -30, max: 30 }), lucidity: fc.integer({ min: -20, max: 20 }) }),
      fc.record({ kind: fc.constant("respawn" as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
        playerNumber += 1;
        const { id } = await createPlayer(t.ctx, { name: `History ${playerNumber}` }, system);
        const afterEach: Array<{ eventId: number; stats: Record<string, number> }> = [];
        for (const op of operations) {
          const result = await (async () => {
            if (op.kind === "damage") return damagePlayer(t.ctx, id, op.amount, {}, service);
            if (op.kind === "heal") return healPlayer(t.ctx, id, op.amount, {}, service);
            if (op.kind === "xp") return gainExperience(t.ctx, id, op.amount, {}, service);
            if (op.kind === "respawn") return respawnPlayer(t.ctx, id, service);
            return updateStats(t.ctx, id, { changes: [{ stat: "mana", op: "add", value: op.mana }, { stat: "lucidity", op: "add", value: op.lucidity }] }, service);
          })().catch((error: unknown) => {
            if (error instanceof AppError && error.code === "player_dead") return null; // healing the dead: refused, nothing written
            throw error;
          });
          if (result) afterEach.push({ eventId: result.events.at(-1)!.id, stats: await storedStats(id) });
        }
        for (const point of afterEach) {
          const state = await playerStateAt(t.ctx, id, { event: point.eventId });
          expect(state.stats).toMatchObject(point.stats);
        }
        const now = await playerStateAt(t.ctx, id, { at: new Date(Date.now() + 1_000) });
        expect(now.stats).toMatchObject(await storedStats(id));
      }),
      { seed: 20261125, numRuns: 8 },
    );
  });

  it("restores a player to before a mistaken correction: preview diff, one audited write pointing at the event", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua", experiencePoints: 554 }, system);
    for (let round = 0; round < 3; round += 1) await damagePlayer(t.ctx, id, 10, {}, service);
    const good = await gainExperience(t.ctx, id, 1, {}, service);
    await correctHealth(t.ctx, id, { health: 5, reason: "typo: meant 50" }, support);
    await updateStats(t.ctx, id, { changes: [{ stat: "gold", op: "set", value: 999 }], reason: "typo too" }, support);

    const preview = await previewRestore(t.ctx, id, { event: good.event.id });
    expect(preview).toMatchObject({ version: 7, eventId: good.event.id, diff: [{ stat: "health", now: 5, after: 70 }, { stat: "gold", now: 999, after: 0 }] });
    const restored = await restorePlayer(t.ctx, id, { event: good.event.id }, { ...support, reason: "undo the mistaken correction", expectedVersion: preview.version });
    expect(restored.player).toMatchObject({ health: 70, experiencePoints: 555, stats: expect.objectContaining({ gold: 0 }), version: 8 });
    expect(restored.events.map(({ field, before, after, reason }) => ({ field, before, after, reason }))).toEqual([
      { field: "health", before: 5, after: 70, reason: "restore" },
      { field: "gold", before: 999, after: 0, reason: "restore" },
    ]);
    expect(restored.event.detail).toMatchObject({ restoredTo: good.event.id });
    const audit = await t.sql.all(`SELECT "action", "reason" FROM "AuditEntry" WHERE "playerId" = ? AND "action" = 'player.restore'`, id);
    expect(audit).toEqual([{ action: "player.restore", reason: "undo the mistaken correction" }]);
    // A second apply of the same (now stale) preview: 409 with the new diff, nothing changed.
    await expect(restorePlayer(t.ctx, id, { event: good.event.id }, { ...support, reason: "again", expectedVersion: preview.version })).rejects.toMatchObject({
      code: "stale_version",
      extensions: expect.objectContaining({ diff: [] }),
    });
    expect(await reconcilePlayer(t.sql, id, { health: 100, experience: 554 })).toEqual([]);
  });

  it("restore under concurrent writes: applied exactly once, or refused with 409 and nothing changed", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Contested", maxHealth: 1_000 }, system);
    const target = await damagePlayer(t.ctx, id, 100, {}, service);
    for (let round = 0; round < 5; round += 1) await damagePlayer(t.ctx, id, 10, {}, service);
    const preview = await previewRestore(t.ctx, id, { event: target.event.id });
    const attempts = await Promise.allSettled([
      ...Array.from({ length: 4 }, () => restorePlayer(t.ctx, id, { event: target.event.id }, { ...support, reason: "concurrent restore", expectedVersion: preview.version })),
      damagePlayer(t.ctx, id, 1, {}, service),
      damagePlayer(t.ctx, id, 1, {}, service),
    ]);
    const restores = attempts.slice(0, 4);
    const applied = restores.filter((attempt) => attempt.status === "fulfilled");
    expect(applied.length).toBeLessThanOrEqual(1);
    for (const refused of restores.filter((attempt) => attempt.status === "rejected")) expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: "stale_version" });
    const restoreRows = await t.sql.all(`SELECT "id" FROM "PlayerEvent" WHERE "playerId" = ? AND "reason" = 'restore'`, id);
    expect(restoreRows).toHaveLength(applied.length);
    expect(await reconcilePlayer(t.sql, id, { health: 1_000 })).toEqual([]);
  });

  it("reverts a multi-stat change (its inverse, clamped), and every change of one request id", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Caster", health: 50 }, system);
    const spell = await updateStats(t.ctx, id, { changes: [{ stat: "mana", op: "add", value: -10 }, { stat: "health", op: "add", value: 15 }] }, service);
    await damagePlayer(t.ctx, id, 5, {}, service); // a later, unrelated change stays
    const preview = await previewRevert(t.ctx, id, { changeId: spell.event.changeId });
    expect(preview.diff).toEqual([{ stat: "health", now: 60, after: 45 }, { stat: "mana", now: 40, after: 50 }]);
    const reverted = await revertChange(t.ctx, id, { changeId: spell.event.changeId }, { ...support, reason: "spell was cast by a bug", expectedVersion: preview.version });
    expect(reverted.player).toMatchObject({ health: 45, stats: expect.objectContaining({ mana: 50 }) });
    expect(reverted.events.every((event) => event.reason === "revert")).toBe(true);
    expect(reverted.event.detail).toMatchObject({ revertOf: [spell.event.changeId] });

    // By request id: two changes of one request are undone together.
    await damagePlayer(t.ctx, id, 3, {}, { ...service, requestId: "req-double" });
    await gainExperience(t.ctx, id, 40, {}, { ...service, requestId: "req-double" });
    const byRequest = await previewRevert(t.ctx, id, { requestId: "req-double" });
    expect(byRequest.changeIds).toHaveLength(2);
    const undone = await revertChange(t.ctx, id, { requestId: "req-double" }, { ...support, reason: "duplicate request", expectedVersion: byRequest.version });
    expect(undone.player).toMatchObject({ health: 45, experiencePoints: 0, level: 1 });
    expect(await reconcilePlayer(t.sql, id, { health: 50, mana: 50, experience: 0 })).toEqual([]);
  });

  it("reverts a change once: another revert of it answers 409 naming the revert, and changes nothing (issue 20 #8)", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Shopper" }, system);
    await updateStats(t.ctx, id, { changes: [{ stat: "gold", op: "set", value: 500 }] }, service);
    const purchase = await updateStats(t.ctx, id, { changes: [{ stat: "gold", op: "add", value: -500 }] }, service);
    const first = await previewRevert(t.ctx, id, { changeId: purchase.event.changeId });
    const reverted = await revertChange(t.ctx, id, { changeId: purchase.event.changeId }, { ...support, reason: "refund", expectedVersion: first.version });
    expect(reverted.player.stats).toMatchObject({ gold: 500 });
    // Before: each fresh preview proposed the inverse again, and three reverts took gold to 1,500.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await previewRevert(t.ctx, id, { changeId: purchase.event.changeId }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "already_reverted", extensions: { revertChangeId: reverted.event.changeId, changeIds: [purchase.event.changeId] } });
      await expect(revertChange(t.ctx, id, { changeId: purchase.event.changeId }, { ...support, reason: "refund again", expectedVersion: reverted.player.version })).rejects.toMatchObject({ code: "already_reverted" });
    }
    expect(((await storedStats(id)) as Record<string, number>).gold).toBe(500);
    // The revert itself can be reverted (that is how a reverted change is redone), once.
    const redo = await previewRevert(t.ctx, id, { changeId: reverted.event.changeId });
    await revertChange(t.ctx, id, { changeId: reverted.event.changeId }, { ...support, reason: "refund was wrong", expectedVersion: redo.version });
    expect(((await storedStats(id)) as Record<string, number>).gold).toBe(0);
    await expect(previewRevert(t.ctx, id, { changeId: reverted.event.changeId })).rejects.toMatchObject({ code: "already_reverted" });
    expect(await reconcilePlayer(t.sql, id, { gold: 0 })).toEqual([]);
  });

  it("refuses to revert by a request id that several callers used (a reused X-Request-Id), naming the changes", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Shared", health: 80 }, system);
    const mine = await damagePlayer(t.ctx, id, 3, {}, { actor: { name: "game-server-a", kind: "service" }, requestId: "req-reused" });
    const theirs = await damagePlayer(t.ctx, id, 4, {}, { actor: { name: "game-server-b", kind: "service" }, requestId: "req-reused" });
    const error = await previewRevert(t.ctx, id, { requestId: "req-reused" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "request_id_ambiguous", extensions: { actors: ["game-server-a", "game-server-b"], changeIds: [mine.event.changeId, theirs.event.changeId] } });
    await expect(revertChange(t.ctx, id, { requestId: "req-reused" }, { ...support, reason: "undo", expectedVersion: theirs.player.version })).rejects.toMatchObject({ code: "request_id_ambiguous" });
    expect((await storedStats(id)).health).toBe(73);
  });

  it("keeps the rules: the dead are not healed by a restore (respawn first)", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Fallen" }, system);
    const alive = await damagePlayer(t.ctx, id, 10, {}, service);
    await damagePlayer(t.ctx, id, 500, {}, service);
    const preview = await previewRestore(t.ctx, id, { event: alive.event.id });
    await expect(restorePlayer(t.ctx, id, { event: alive.event.id }, { ...support, reason: "bring back", expectedVersion: preview.version })).rejects.toMatchObject({ code: "player_dead" });
    expect((await storedStats(id)).health).toBe(-10);
  });
});
