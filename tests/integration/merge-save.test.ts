import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StaleDataError } from "../../lib/errors/app-error.ts";
import { applyPrune, planPrune } from "../../lib/ledger/prune-ledger.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import { listSaveAttempts } from "../../lib/persistence/save-attempts.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { updateStats } from "../../lib/player-operations/update-stats.ts";
import { declareStats } from "../../lib/stats/declare-stats.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const game = { actor: { name: "game-server", kind: "service" as const } };
const otherGame = { actor: { name: "game-server-2", kind: "service" as const } };
const DAY = 86_400_000;

/** Issue 21's done-when cases for whole saves, on the real database (both dialects). */
describe("stale whole saves merge field by field", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("the seed story through whole saves only: a copy read at health 100 saves XP +1 and the player ends at health 70, XP 555", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua", maxHealth: 100, experiencePoints: 554 }, system);
    const { player: xpCopy } = await getPlayerOrThrow(t.ctx, id);
    // Combat saves whole objects too, each from a fresh read.
    for (let round = 0; round < 3; round += 1) {
      const { player } = await getPlayerOrThrow(t.ctx, id);
      await savePlayer(t.ctx, id, { ...player, health: player.health - 10 }, player.version, game);
    }
    const saved = await savePlayer(t.ctx, id, { ...xpCopy, experiencePoints: xpCopy.experiencePoints + 1 }, xpCopy.version, game);

    expect(saved.player).toMatchObject({ health: 70, experiencePoints: 555, level: 3, version: 5 });
    expect(saved.merge).toEqual({ baseVersion: 1, fromSave: ["experiencePoints"], keptFromOthers: ["health"], combined: [] });
    expect(await t.sql.get(`SELECT "health", "experiencePoints", "version" FROM "Player" WHERE "id" = ?`, id)).toEqual({ health: 70, experiencePoints: 555, version: 5 });
    // The merged save's ledger row says what it merged.
    const rows = await t.sql.all<{ field: string; before: number; after: number; reason: string; detail: unknown }>(
      `SELECT "field", "before", "after", "reason", "detail" FROM "PlayerEvent" WHERE "playerId" = ? AND "playerVersion" = 5 ORDER BY "id"`,
      id,
    );
    expect(rows.map(({ field, before, after, reason }) => ({ field, before, after, reason }))).toEqual([{ field: "experience", before: 554, after: 555, reason: "save" }]);
    const detail = typeof rows[0]!.detail === "string" ? JSON.parse(rows[0]!.detail) : rows[0]!.detail;
    expect(detail).toEqual({ merge: { baseVersion: 1, mode: "three-way", fromSave: ["experiencePoints"], keptFromOthers: ["health"], combined: [] } });
    expect(await reconcilePlayer(t.sql, id, { health: 100, experience: 554, level: 3 })).toEqual([]);
    expect(t.ctx.metrics.staleSavesRefused).toBe(0);
    expect(t.ctx.metrics.saves).toEqual({ applied: 3, merged: 1, refused: 0 });
  });

  it("two stale saves that both lowered health: both deltas count, re-clamped", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Nyogtha", maxHealth: 100 }, system);
    const { player: copy } = await getPlayerOrThrow(t.ctx, id);
    await savePlayer(t.ctx, id, { ...copy, health: 80 }, copy.version, game);
    const second = await savePlayer(t.ctx, id, { ...copy, health: 70 }, copy.version, otherGame);
    expect(second.player.health).toBe(50);
    expect(second.merge).toMatchObject({ baseVersion: 1, combined: ["health"] });
    // A third stale save that would take 60 more: clamped at the floor, not below.
    const third = await savePlayer(t.ctx, id, { ...copy, health: 40 }, copy.version, game);
    expect(third.player.health).toBe(-10);
    expect(third.player.status).toBe("dead");
    expect(await reconcilePlayer(t.sql, id, { health: 100, experience: 0, level: 1 })).toEqual([]);
  });

  it("a heal from a stale copy does not raise a player who died meanwhile", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Zhar", maxHealth: 100, health: 50 }, system);
    const { player: copy } = await getPlayerOrThrow(t.ctx, id);
    await damagePlayer(t.ctx, id, 500, {}, game);
    const refused = savePlayer(t.ctx, id, { ...copy, health: 60 }, copy.version, game);
    await expect(refused).rejects.toMatchObject({ code: "stale_version", extensions: { conflicts: [expect.objectContaining({ field: "health", base: 50, yours: 60, theirs: -10 })] } });
    expect(await t.sql.get(`SELECT "health" FROM "Player" WHERE "id" = ?`, id)).toEqual({ health: -10 });
  });

  it("a rename conflict: 409 naming the field, the three values and the event that changed it", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Cthugha" }, system);
    const { player: copy } = await getPlayerOrThrow(t.ctx, id);
    const renamed = await savePlayer(t.ctx, id, { ...copy, name: "Fthaggua" }, copy.version, game);
    const renameEvent = renamed.events.find((event) => event.field === "name")!;
    const refused = savePlayer(t.ctx, id, { ...copy, name: "Aphoom-Zhah", health: 90 }, copy.version, otherGame);
    await expect(refused).rejects.toBeInstanceOf(StaleDataError);
    await expect(refused).rejects.toMatchObject({
      code: "stale_version",
      extensions: {
        expectedVersion: 1,
        currentVersion: 2,
        conflicts: [{ field: "name", base: "Cthugha", yours: "Aphoom-Zhah", theirs: "Fthaggua", events: [{ id: renameEvent.id, reason: "save", actor: "game-server", at: renameEvent.at.toISOString() }] }],
      },
    });
    // Nothing changed: not even the health the refused save also carried.
    expect(await t.sql.get(`SELECT "name", "health", "version" FROM "Player" WHERE "id" = ?`, id)).toEqual({ name: "Fthaggua", health: 100, version: 2 });
    const attempts = await listSaveAttempts(t.ctx, { playerId: id, limit: 10 });
    expect(attempts.items.map((attempt) => [attempt.outcome, attempt.baseVersion, attempt.actor, attempt.fields])).toEqual([
      ["refused", 1, "game-server-2", { conflicts: ["name"] }],
      ["applied", 1, "game-server", {}],
    ]);
  });

  it("Prefer: merge=none refuses as before, listing what changed since", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua", maxHealth: 100, experiencePoints: 554 }, system);
    const { player: copy } = await getPlayerOrThrow(t.ctx, id);
    const hit = await damagePlayer(t.ctx, id, 30, {}, game);
    const refused = savePlayer(t.ctx, id, { ...copy, experiencePoints: 555 }, copy.version, { ...game, merge: "none" });
    await expect(refused).rejects.toMatchObject({
      code: "stale_version",
      extensions: { expectedVersion: 1, currentVersion: 2, conflicts: [{ field: "health", base: 100, yours: 100, theirs: 70, events: [{ id: hit.event.id, reason: "damage", actor: "game-server" }] }] },
    });
    expect(await t.sql.get(`SELECT "health", "experiencePoints", "version" FROM "Player" WHERE "id" = ?`, id)).toEqual({ health: 70, experiencePoints: 554, version: 2 });
    expect(t.ctx.metrics.staleSavesRefused).toBe(1);
  });

  it("declared merge rules: add (default) combines, last lets the save win, reject refuses", async () => {
    await declareStats(
      t.ctx,
      [
        { key: "gold", label: "Gold", min: 0, max: 1_000_000 },
        { key: "rank", label: "Rank", min: 0, max: 100, merge: "last" },
        { key: "oath", label: "Oath", min: 0, max: 10, merge: "reject" },
      ],
      system,
    );
    const { id } = await createPlayer(t.ctx, { name: "Hastur" }, system);
    const { player: copy } = await getPlayerOrThrow(t.ctx, id);
    await updateStats(t.ctx, id, { changes: [{ stat: "gold", op: "add", value: 100 }, { stat: "rank", op: "set", value: 5 }] }, game);
    const merged = await savePlayer(t.ctx, id, { ...copy, stats: { gold: 30, rank: 9 } }, copy.version, otherGame);
    expect(merged.player.stats).toMatchObject({ gold: 130, rank: 9 });
    expect(merged.merge).toMatchObject({ combined: ["stats.gold"], fromSave: ["stats.rank"] });

    const { player: second } = await getPlayerOrThrow(t.ctx, id);
    await updateStats(t.ctx, id, { changes: [{ stat: "oath", op: "set", value: 3 }] }, game);
    await expect(savePlayer(t.ctx, id, { ...second, stats: { oath: 7 } }, second.version, otherGame)).rejects.toMatchObject({
      extensions: { conflicts: [expect.objectContaining({ field: "stats.oath", base: 0, yours: 7, theirs: 3 })] },
    });
    // Room is `last`: a stale save that moved the player wins over another move.
    const { player: third } = await getPlayerOrThrow(t.ctx, id);
    await savePlayer(t.ctx, id, { ...third, currentRoomId: "arkham:library" }, third.version, game);
    const moved = await savePlayer(t.ctx, id, { ...third, currentRoomId: "arkham:docks" }, third.version, otherGame);
    expect(moved.player.currentRoomId).toBe("arkham:docks");
    expect(moved.merge?.fromSave).toEqual(["currentRoomId"]);
  });

  it("every column is tracked: a manual UPDATE of inventory and attributes is versioned, ledgered as a JSON diff, audited, and a stale PUT keeps it", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Tsathoggua", inventory: ["lamp"], attributes: { strength: 10 } }, system);
    const { player: copy } = await getPlayerOrThrow(t.ctx, id);
    // A person in sqlite3/psql fixes the inventory and an attribute.
    await t.sql.execute(`UPDATE "Player" SET "inventory" = '["lamp","elder sign"]', "attributes" = '{"strength":12}' WHERE "id" = '${id}'`);
    const rows = await t.sql.all<{ field: string; beforeText: string; afterText: string; reason: string; playerVersion: number }>(
      `SELECT "field", "beforeText", "afterText", "reason", "playerVersion" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "field"`,
      id,
    );
    // JSON text (the raw-SQL helper may hand it back parsed).
    const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
    expect(rows.map((row) => ({ ...row, beforeText: json(row.beforeText), afterText: json(row.afterText) }))).toEqual([
      { field: "attributes", beforeText: { strength: 10 }, afterText: { strength: 12 }, reason: "external", playerVersion: 2 },
      { field: "inventory", beforeText: ["lamp"], afterText: ["lamp", "elder sign"], reason: "external", playerVersion: 2 },
    ]);
    const audit = await t.sql.all<{ action: string }>(`SELECT "action" FROM "AuditEntry" WHERE "playerId" = ?`, id);
    expect(audit).toEqual([{ action: "player.external_change" }]);

    // The game server's copy predates the fix; it saves a room change. The fix survives.
    const saved = await savePlayer(t.ctx, id, { ...copy, currentRoomId: "nkai" }, copy.version, game);
    expect(saved.player).toMatchObject({ inventory: ["lamp", "elder sign"], attributes: { strength: 12 }, currentRoomId: "nkai", version: 3 });
    expect(saved.merge).toEqual({ baseVersion: 1, fromSave: ["currentRoomId"], keptFromOthers: ["attributes", "inventory"], combined: [] });

    // Both sides changed the inventory differently: a conflict naming the external event.
    const { player: second } = await getPlayerOrThrow(t.ctx, id);
    await savePlayer(t.ctx, id, { ...second, inventory: [...second.inventory, "grimoire"] }, second.version, otherGame);
    const refused = savePlayer(t.ctx, id, { ...second, inventory: [] }, second.version, game);
    await expect(refused).rejects.toMatchObject({
      extensions: { conflicts: [{ field: "inventory", base: ["lamp", "elder sign"], yours: [], theirs: ["lamp", "elder sign", "grimoire"], events: [expect.objectContaining({ reason: "save", actor: "game-server-2" })] }] },
    });
    expect(await reconcilePlayer(t.sql, id, { health: 100, experience: 0, level: 1 })).toEqual([]);
  });

  it("a base version whose history was pruned: 409 history_pruned, nothing changed", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Yig" }, system);
    const { player: copy } = await getPlayerOrThrow(t.ctx, id);
    const old = { ...game, at: new Date(Date.now() - 200 * DAY) };
    await damagePlayer(t.ctx, id, 10, {}, old);
    await gainExperience(t.ctx, id, 10, {}, old);
    await damagePlayer(t.ctx, id, 5, {}, game);
    const plan = await planPrune(t.ctx, new Date(Date.now() - 90 * DAY));
    await applyPrune(t.ctx, plan, { actor: "cli:test" });
    const refused = savePlayer(t.ctx, id, { ...copy, experiencePoints: 1 }, copy.version, game);
    await expect(refused).rejects.toMatchObject({ code: "history_pruned", status: 409 });
    expect(await t.sql.get(`SELECT "health", "experiencePoints", "version" FROM "Player" WHERE "id" = ?`, id)).toEqual({ health: 85, experiencePoints: 10, version: 4 });
    expect((await listSaveAttempts(t.ctx, { playerId: id, outcome: "refused", limit: 5 })).items).toEqual([expect.objectContaining({ code: "history_pruned", baseVersion: 1, currentVersion: 4 })]);
  });
});
