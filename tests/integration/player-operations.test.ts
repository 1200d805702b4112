import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { correctHealth } from "../../lib/player-operations/correct-health.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import { healPlayer } from "../../lib/player-operations/heal-player.ts";
import { listPlayerEvents } from "../../lib/persistence/list-player-events.ts";
import { listPlayers } from "../../lib/persistence/list-players.ts";
import { respawnPlayer } from "../../lib/player-operations/respawn-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { PostgresInvalidationBus } from "../../lib/cache/postgres-invalidation-bus.ts";
import { createSecondInstance, createTestContext, system, testDialect, waitFor } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };
const staff = { actor: { name: "support-anna", kind: "staff" as const }, requestId: "req-123" };

describe("player operations and health rules", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });
  const stored = async (id: string) => (await t.sql.get(`SELECT "health", "experiencePoints", "level", "version" FROM "Player" WHERE "id" = ?`, id));

  it("clamps damage at the floor and derives mortally wounded / dead", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    expect((await damagePlayer(t.ctx, id, 100, {}, service)).player).toMatchObject({ health: 0, status: "mortally_wounded" });
    expect((await damagePlayer(t.ctx, id, 9, {}, service)).player).toMatchObject({ health: -9, status: "mortally_wounded" });
    const killing = await damagePlayer(t.ctx, id, 500, {}, service);
    expect(killing.player).toMatchObject({ health: -10, status: "dead" });
    expect(killing.event).toMatchObject({ before: -9, after: -10, delta: -1, reason: "damage" });
    // Combat may continue on a corpse: recorded, but the floor holds.
    const more = await damagePlayer(t.ctx, id, 5, {}, service);
    expect(more.event).toMatchObject({ before: -10, after: -10, delta: 0 });
    expect(await reconcilePlayer(t.sql, id, { health: 100, experience: 0, level: 1 })).toEqual([]);
  });

  it("clamps healing at maxHealth and refuses to heal the dead; respawn restores maxHealth", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua", maxHealth: 120, health: 50 }, system);
    expect((await healPlayer(t.ctx, id, 1_000, {}, service)).event).toMatchObject({ before: 50, after: 120, delta: 70 });
    await damagePlayer(t.ctx, id, 1_000, {}, service);
    const before = await stored(id);
    await expect(healPlayer(t.ctx, id, 10, {}, service)).rejects.toMatchObject({ code: "player_dead" });
    expect(await stored(id)).toEqual(before);
    const respawn = await respawnPlayer(t.ctx, id, { ...staff, reason: "stuck after server crash" });
    expect(respawn.player).toMatchObject({ health: 120, status: "alive" });
    expect(respawn.event).toMatchObject({ before: -10, after: 120, reason: "respawn", actor: "support-anna" });
    const audit = (await t.sql.all(`SELECT "actor", "action", "reason" FROM "AuditEntry" WHERE "playerId" = ?`, id));
    expect(audit).toEqual([{ actor: "support-anna", action: "player.respawn", reason: "stuck after server crash" }]);
  });

  it("refuses to correct a dead player's health: respawn is the only way back", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await damagePlayer(t.ctx, id, 500, {}, service);
    const before = await stored(id);
    await expect(correctHealth(t.ctx, id, { health: 50, reason: "bring back" }, staff)).rejects.toMatchObject({ code: "player_dead" });
    await expect(correctHealth(t.ctx, id, { delta: 5, reason: "bring back" }, staff)).rejects.toMatchObject({ code: "player_dead" });
    expect(await stored(id)).toEqual(before);
  });

  it("levels up with XP in the same transaction, with its own ledger row", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua", experiencePoints: 399 }, system);
    const result = await gainExperience(t.ctx, id, 1, { source: "quest" }, service);
    expect(result.player).toMatchObject({ experiencePoints: 400, level: 3, version: 2 });
    expect(result.events.map(({ field, before, after }) => ({ field, before, after }))).toEqual([
      { field: "experience", before: 399, after: 400 },
      { field: "level", before: 2, after: 3 },
    ]);
    expect(new Set(result.events.map((event) => event.changeId)).size).toBe(1);
  });

  it("corrects health by value or delta, audits it, and honours an expected version", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await damagePlayer(t.ctx, id, 30, {}, service);
    const set = await correctHealth(t.ctx, id, { health: 95, reason: "rollback of bugged trap" }, { ...staff, expectedVersion: 2 });
    expect(set.event).toMatchObject({ before: 70, after: 95, reason: "correction", requestId: "req-123", detail: { set: 95, note: "rollback of bugged trap" } });
    const delta = await correctHealth(t.ctx, id, { delta: 50, reason: "compensation" }, staff);
    expect(delta.event).toMatchObject({ before: 95, after: 100 });
    await expect(correctHealth(t.ctx, id, { health: 10, reason: "stale form" }, { ...staff, expectedVersion: 2 })).rejects.toMatchObject({
      code: "stale_version",
      currentVersion: 4,
    });
    await expect(correctHealth(t.ctx, id, { health: 101, reason: "too much" }, staff)).rejects.toMatchObject({ code: "invalid_input" });
    expect(await stored(id)).toMatchObject({ health: 100, version: 4 });
    const audit = (await t.sql.all(`SELECT "action", "before", "after", "reason" FROM "AuditEntry" WHERE "playerId" = ? ORDER BY "id"`, id));
    expect(audit).toEqual([
      { action: "player.health_correction", before: { health: 70 }, after: { health: 95 }, reason: "rollback of bugged trap" },
      { action: "player.health_correction", before: { health: 95 }, after: { health: 100 }, reason: "compensation" },
    ]);
  });

  it("saves a whole object at the current version with save ledger rows and a derived level", async () => {
    const created = await createPlayer(t.ctx, { name: "Ithaqua", experiencePoints: 554 }, system);
    const saved = await savePlayer(t.ctx, created.id, { ...created, health: 60, experiencePoints: 900, currentRoomId: "arkham-library" }, 1, service);
    expect(saved.player).toMatchObject({ health: 60, experiencePoints: 900, level: 4, currentRoomId: "arkham-library", version: 2 });
    expect(saved.events.map(({ field, before, after, reason }) => ({ field, before, after, reason }))).toEqual([
      { field: "health", before: 100, after: 60, reason: "save" },
      { field: "experience", before: 554, after: 900, reason: "save" },
      { field: "level", before: 3, after: 4, reason: "save" },
      { field: "room", before: 0, after: 0, reason: "save" },
    ]);
    expect(saved.events.find((event) => event.field === "room")).toMatchObject({ beforeText: null, afterText: "arkham-library" });
    expect(await reconcilePlayer(t.sql, created.id, { health: 100, experience: 554, level: 3 })).toEqual([]);
  });

  it("reads your writes through the cache", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    expect((await getPlayerOrThrow(t.ctx, id)).cache).toBe("miss");
    expect((await getPlayerOrThrow(t.ctx, id)).cache).toBe("hit");
    await damagePlayer(t.ctx, id, 10, {}, service);
    const afterWrite = await getPlayerOrThrow(t.ctx, id);
    expect(afterWrite.player).toMatchObject({ health: 90, version: 2 });
    expect(t.ctx.cache.counters.invalidations.write).toBe(1);
  });

  // Separate instances only exist with PostgreSQL (SQLite is one process); see cross-instance tests too.
  it.skipIf(testDialect === "sqlite")("invalidates another instance's cache over LISTEN/NOTIFY (cause: event)", async () => {
    const other = createSecondInstance(t, "instance-b");
    try {
      if (other.bus instanceof PostgresInvalidationBus) await other.bus.ready();
      const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
      await getPlayerOrThrow(other, id);
      await damagePlayer(t.ctx, id, 10, {}, service);
      await waitFor(() => other.cache.counters.invalidations.event === 1, 5_000, "the NOTIFY to reach instance B");
      expect((await getPlayerOrThrow(other, id)).player.health).toBe(90);
    } finally {
      await other.bus.close();
      await other.db.$disconnect();
    }
  });

  it("delivers in-process bus events to every other cache in the process", async () => {
    const { createPersistenceContext } = await import("../../lib/runtime/create-persistence-context.ts");
    const other = createPersistenceContext(t.config, { bus: t.ctx.bus, instanceId: "instance-b" });
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await getPlayerOrThrow(other, id);
    await damagePlayer(t.ctx, id, 10, {}, service);
    await waitFor(() => other.cache.counters.invalidations.event === 1, 5_000, "instance B's invalidation");
    expect((await getPlayerOrThrow(other, id)).player.health).toBe(90);
  });

  it("lists and searches players, and pages through the ledger", async () => {
    for (const name of ["Ithaqua", "Nyarlathotep", "Hastur", "Ithaqua the Younger"]) await createPlayer(t.ctx, { name }, system);
    const page = await listPlayers(t.ctx, { search: "ithaqua", limit: 1 });
    expect(page.total).toBe(2);
    expect(page.items.map((player) => player.name)).toEqual(["Ithaqua"]);
    const next = await listPlayers(t.ctx, { search: "ithaqua", limit: 1, cursor: page.nextCursor! });
    expect(next.items.map((player) => player.name)).toEqual(["Ithaqua the Younger"]);
    expect(next.nextCursor).toBeNull();

    const id = page.items[0]!.id;
    for (let i = 0; i < 5; i += 1) await damagePlayer(t.ctx, id, 1, {}, service);
    await gainExperience(t.ctx, id, 5, {}, service);
    const first = await listPlayerEvents(t.ctx, id, { field: "health", limit: 3 });
    expect(first.items.map((event) => event.after)).toEqual([99, 98, 97]);
    const second = await listPlayerEvents(t.ctx, id, { field: "health", limit: 3, cursor: Number(first.nextCursor) });
    expect(second.items.map((event) => event.after)).toEqual([96, 95]);
    expect(second.nextCursor).toBeNull();
  });

  it("keeps the ledger append-only at the database level", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await damagePlayer(t.ctx, id, 10, {}, service);
    await expect(t.ctx.db.$executeRawUnsafe(`UPDATE "PlayerEvent" SET "after" = 100`)).rejects.toThrow(/append-only/);
    await expect(t.ctx.db.$executeRawUnsafe(`DELETE FROM "PlayerEvent"`)).rejects.toThrow(/append-only/);
  });
});
