import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors/app-error.ts";
import { runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { listPlayers } from "../../lib/persistence/list-players.ts";
import { purgeTestPlayer } from "../../lib/persistence/purge-test-player.ts";
import { applyPrune, planPrune } from "../../lib/ledger/prune-ledger.ts";
import { setPlayerArchived } from "../../lib/player-operations/archive-player.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

/**
 * Player lifecycle (issue 24): archive (hidden, writes refused by the statement's WHERE, ledger kept
 * and verifiable, audited, reversible) and the purge of test players with their ledgers (audited,
 * reported as a purge). Runs on SQLite (integration) and PostgreSQL (integration-pg).
 */
const staff = { actor: { name: "avery", kind: "staff" as const } };
const service = { actor: { name: "game-1", kind: "service" as const } };
const qaKit = { actor: { name: "qa-kit", kind: "service" as const, testPlayersOnly: true } };
const manual = { trigger: "manual" as const, actor: "test" };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("player lifecycle", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("archives a player: out of lists and search, writes refused with 410 and nothing changed, ledger kept, audited, and an admin brings it back", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Nyarlathotep" }, system);
    await createPlayer(t.ctx, { name: "Nodens" }, system);
    await damagePlayer(t.ctx, id, 10, {}, service);

    const archived = await setPlayerArchived(t.ctx, id, "archive", staff);
    expect(archived.player.archivedAt).toBeInstanceOf(Date);
    expect(archived.events.map((event) => [event.field, event.reason])).toEqual([["version", "archive"]]);

    for (const query of [{}, { search: "Nyarl" }, { sort: "health" as const }]) {
      expect((await listPlayers(t.ctx, query)).items.map((player) => player.name)).not.toContain("Nyarlathotep");
    }
    const before = await t.sql.get(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`, id);
    const writes = [() => damagePlayer(t.ctx, id, 5, {}, service), () => gainExperience(t.ctx, id, 1, {}, service), () => setPlayerArchived(t.ctx, id, "archive", staff)];
    for (const write of writes) {
      const error = await refusal(write());
      expect(error.code).toBe("player_archived");
      expect(error.extensions.playerId).toBe(id);
    }
    expect(await t.sql.get(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`, id)).toEqual(before);

    // Kept and still verifiable: the integrity check scans archived players too.
    expect(await reconcilePlayer(t.sql, id, { health: 100, maxHealth: 100, experience: 0, level: 1 })).toEqual([]);
    const report = await runIntegrityCheck(t.ctx, manual);
    expect(report.findings).toEqual([]);
    expect(report.run!.playersScanned).toBe(2);
    const audit = await t.sql.all<{ action: string; actor: string }>(`SELECT "action", "actor" FROM "AuditEntry" WHERE "playerId" = ? ORDER BY "id"`, id);
    expect(audit).toEqual([{ action: "player.archive", actor: "avery" }]);

    const back = await setPlayerArchived(t.ctx, id, "unarchive", staff);
    expect(back.player.archivedAt).toBeNull();
    expect((await refusal(setPlayerArchived(t.ctx, id, "unarchive", staff))).code).toBe("player_not_archived");
    await damagePlayer(t.ctx, id, 5, {}, service);
    expect((await listPlayers(t.ctx, { search: "Nyarl" })).items.map((player) => player.health)).toEqual([85]);
    expect(await reconcilePlayer(t.sql, id, { health: 100, maxHealth: 100, experience: 0, level: 1 })).toEqual([]);
    expect((await runIntegrityCheck(t.ctx, manual)).findings).toEqual([]);
  });

  it("purges a test player with its ledger, prune base and checkpoint: audited, the report lists the purge and finds nothing", async () => {
    const { id } = await createPlayer(t.ctx, { name: "QA walk 1", testTag: "run-1" }, system);
    const kept = await createPlayer(t.ctx, { name: "Hastur" }, system);
    await damagePlayer(t.ctx, id, 10, {}, service);
    // A prune summed that row up in LedgerBase (whose delete trigger the purge must pass too).
    const plan = await planPrune(t.ctx, new Date(Date.now() + 1_000));
    await applyPrune(t.ctx, { ...plan, players: plan.players.filter((entry) => entry.playerId === id) }, { actor: "test" });
    expect(await t.sql.get(`SELECT "prunedRows" FROM "LedgerBase" WHERE "playerId" = ?`, id)).toEqual({ prunedRows: 1 });
    for (const amount of [10, 10, 10]) await damagePlayer(t.ctx, id, amount, {}, service);
    await damagePlayer(t.ctx, kept.id, 1, {}, service);
    // A checkpoint exists for both players now: the purge must remove the test player's too.
    expect((await runIntegrityCheck(t.ctx, manual)).findings).toEqual([]);

    const purged = await purgeTestPlayer(t.ctx, id, { actor: { name: "admin", kind: "staff" }, requestId: "req-purge" });
    expect(purged).toMatchObject({ playerId: id, playerName: "QA walk 1", testTag: "run-1", ledgerRows: 3, purgedBy: "admin" });
    expect(purged.lastEventHash).toMatch(/^[0-9a-f]{64}$/);

    for (const table of ["Player", "LedgerCheckpoint", "LedgerBase"]) {
      expect(await t.sql.get(`SELECT count(*) AS "n" FROM "${table}" WHERE "${table === "Player" ? "id" : "playerId"}" = ?`, id)).toEqual({ n: 0 });
    }
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "PlayerEvent" WHERE "playerId" = ?`, id)).toEqual({ n: 0 });
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "PlayerEvent" WHERE "playerId" = ?`, kept.id)).toEqual({ n: 1 });
    expect(await t.sql.all(`SELECT "action", "actor", "requestId" FROM "AuditEntry" WHERE "playerId" = ? AND "action" <> 'ledger.prune'`, id)).toEqual([{
      action: "player.purge",
      actor: "admin",
      requestId: "req-purge",
    }]);
    const report = await runIntegrityCheck(t.ctx, manual);
    expect(report.findings).toEqual([]);
    expect(report.purges).toEqual([expect.objectContaining({ playerId: id, playerName: "QA walk 1", testTag: "run-1", ledgerRows: 3 })]);
    expect((await refusal(purgeTestPlayer(t.ctx, id, staff))).code).toBe("player_not_found");
    expect(await reconcilePlayer(t.sql, kept.id, { health: 100, maxHealth: 100, experience: 0, level: 1 })).toEqual([]);
  });

  it("refuses to purge a real player, and the triggers refuse a forged tombstone for one", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Cthugha" }, system);
    await damagePlayer(t.ctx, id, 10, {}, service);
    expect((await refusal(purgeTestPlayer(t.ctx, id, staff))).code).toBe("not_a_test_player");
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "PlayerEvent" WHERE "playerId" = ?`, id)).toEqual({ n: 1 });
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "PlayerPurge"`)).toEqual({ n: 0 });
    // Even with a tombstone written by hand, an untagged player's ledger stays append-only.
    const forged = `INSERT INTO "PlayerPurge" ("playerId", "playerName", "testTag", "ledgerRows", "purgedAt", "purgedBy") VALUES ('${id}', 'Cthugha', 'x', 1, CURRENT_TIMESTAMP, 'mallory');`;
    await expect(t.sql.execute(`${forged}\nDELETE FROM "PlayerEvent" WHERE "playerId" = '${id}';`)).rejects.toThrow(/append-only/);
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "PlayerEvent" WHERE "playerId" = ?`, id)).toEqual({ n: 1 });
  });

  it("a test-players token writes only to test players and tags the players it creates", async () => {
    const real = await createPlayer(t.ctx, { name: "Yig" }, system);
    const mine = await createPlayer(t.ctx, { name: "QA Yig" }, qaKit);
    expect(mine.testTag).toBe("qa-kit");
    const error = await refusal(damagePlayer(t.ctx, real.id, 10, {}, qaKit));
    expect(error.code).toBe("forbidden");
    expect(await t.sql.get(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`, real.id)).toEqual({ health: 100, version: 1 });
    expect((await damagePlayer(t.ctx, mine.id, 10, {}, qaKit)).player.health).toBe(90);
    expect((await purgeTestPlayer(t.ctx, mine.id, qaKit)).purgedBy).toBe("qa-kit");
  });

  it("a purge racing combat writes: each write lands before the purge or finds no player, and nothing of the player is left", async () => {
    const { id } = await createPlayer(t.ctx, { name: "QA race", testTag: "race" }, system);
    const writes = Array.from({ length: 12 }, () => damagePlayer(t.ctx, id, 1, {}, service).then(() => "applied", (error: unknown) => (error instanceof AppError ? error.code : String(error))));
    const purge = purgeTestPlayer(t.ctx, id, staff);
    const outcomes = await Promise.all(writes);
    const purged = await purge;
    expect(new Set(outcomes.filter((outcome) => outcome !== "applied"))).toEqual(new Set(outcomes.includes("player_not_found") ? ["player_not_found"] : []));
    expect(purged.ledgerRows).toBe(outcomes.filter((outcome) => outcome === "applied").length);
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "PlayerEvent" WHERE "playerId" = ?`, id)).toEqual({ n: 0 });
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "Player" WHERE "id" = ?`, id)).toEqual({ n: 0 });
  });
});
