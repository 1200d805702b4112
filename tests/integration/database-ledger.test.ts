import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { correctHealth } from "../../lib/player-operations/correct-health.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { healPlayer } from "../../lib/player-operations/heal-player.ts";
import { respawnPlayer } from "../../lib/player-operations/respawn-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import { levelForExperience, experienceForLevel, MAX_LEVEL } from "../../lib/players/level-curve.ts";
import { createTestContext, system, waitFor } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };
const admin = { actor: { name: "admin-alice", kind: "staff" as const }, requestId: "req-admin-1" };
const manual = { trigger: "manual" as const, actor: "test" };

/**
 * The promise the database keeps (issue: "the database keeps the ledger"): every change of a tracked
 * column gets a ledger row from the trigger, whoever writes; staff writes are audited in the same
 * statement; whole saves round-trip; the integrity check never raises a false alarm under load.
 * Runs on SQLite (integration) and PostgreSQL (integration-pg).
 */
describe("the database keeps the ledger", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("ledgers a manual UPDATE made through a separate raw connection as external, and the check reports it as such", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await damagePlayer(t.ctx, id, 30, {}, service);
    // A person in sqlite3/psql "fixes" health and XP, without touching the version.
    await t.sql.execute(`UPDATE "Player" SET "health" = 100, "experiencePoints" = 50 WHERE "id" = '${id}'`);
    const rows = await t.sql.all<{ field: string; before: number; after: number; reason: string; actor: string; playerVersion: number }>(
      `SELECT "field", "before", "after", "reason", "actor", "playerVersion" FROM "PlayerEvent" WHERE "playerId" = ? AND "reason" = 'external' ORDER BY "field"`,
      id,
    );
    const databaseUser = t.dialect === "sqlite" ? "database" : (await t.sql.get<{ user: string }>(`SELECT current_user AS "user"`))!.user;
    expect(rows).toEqual([
      { field: "experience", before: 0, after: 50, reason: "external", actor: databaseUser, playerVersion: 3 },
      { field: "health", before: 70, after: 100, reason: "external", actor: databaseUser, playerVersion: 3 },
      { field: "level", before: 1, after: 1, reason: "external", actor: databaseUser, playerVersion: 3 },
    ].filter((row) => row.before !== row.after));
    // The trigger bumped the version so caches and the check see the write; the ledger reconciles.
    expect(await t.sql.get(`SELECT "version" FROM "Player" WHERE "id" = ?`, id)).toEqual({ version: 3 });
    expect(await reconcilePlayer(t.sql, id, { health: 100, experience: 0 })).toEqual([]);
    const audit = await t.sql.all(`SELECT "actor", "action", "before", "after" FROM "AuditEntry" WHERE "playerId" = ?`, id);
    expect(audit).toEqual([{ actor: databaseUser, action: "player.external_change", before: { experience: 0, health: 70 }, after: { experience: 50, health: 100 } }]);

    const report = await runIntegrityCheck(t.ctx, manual);
    expect(report.findings.map((finding) => [finding.kind, finding.severity, finding.playerId])).toEqual([["external_change", "warning", id]]);
  });

  it("audits every staff write in the same statement: an admin save and a respawn by a staff token each get exactly one audit row", async () => {
    const created = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await savePlayer(t.ctx, created.id, { ...created, health: 5, experiencePoints: 999_999, maxHealth: 120, name: "Ithaqua the Elder" }, created.version, admin);
    const afterSave = await t.sql.all<{ actor: string; action: string; before: Record<string, unknown>; after: Record<string, unknown>; requestId: string }>(
      `SELECT "actor", "action", "before", "after", "requestId" FROM "AuditEntry" WHERE "playerId" = ?`,
      created.id,
    );
    expect(afterSave).toEqual([
      {
        actor: "admin-alice",
        action: "player.save",
        before: { health: 100, maxHealth: 100, experience: 0, level: 1, name: "Ithaqua" },
        after: { health: 5, maxHealth: 120, experience: 999_999, level: 100, name: "Ithaqua the Elder" },
        requestId: "req-admin-1",
      },
    ]);
    // maxHealth and name changes are in the ledger too.
    const fields = await t.sql.all<{ field: string }>(`SELECT "field" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "field"`, created.id);
    expect(fields.map((row) => row.field)).toEqual(["experience", "health", "level", "maxHealth", "name"]);

    // A support token is staff: its respawn is audited like a session's.
    await damagePlayer(t.ctx, created.id, 500, {}, service);
    await respawnPlayer(t.ctx, created.id, { actor: { name: "support-token", kind: "staff" }, reason: "stuck" });
    const respawns = await t.sql.all(`SELECT "actor", "action", "reason" FROM "AuditEntry" WHERE "playerId" = ? AND "action" = 'player.respawn'`, created.id);
    expect(respawns).toEqual([{ actor: "support-token", action: "player.respawn", reason: "stuck" }]);
    // Game-server writes are not staff actions.
    expect(await t.sql.all(`SELECT "action" FROM "AuditEntry" WHERE "playerId" = ? AND "actor" = 'game-server'`, created.id)).toEqual([]);
  });

  it("round-trips a whole save: the representation read is accepted back; a stale one asking for merge=none is refused with 409 and changes nothing", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua", experiencePoints: 554 }, system);
    const read = (await getPlayerOrThrow(t.ctx, id)).player;
    // What a game server does: load, change a field, save the whole object back (JSON, as over HTTP).
    const representation = JSON.parse(JSON.stringify({ ...read, currentRoomId: "arkham-library" }));
    const saved = await savePlayer(t.ctx, id, representation, representation.version, service);
    expect(saved.player).toMatchObject({ currentRoomId: "arkham-library", version: 2, health: 100, experiencePoints: 554 });

    await damagePlayer(t.ctx, id, 10, {}, service); // someone else's write
    const before = await t.sql.get(`SELECT * FROM "Player" WHERE "id" = ?`, id);
    const stale = JSON.parse(JSON.stringify({ ...saved.player, experiencePoints: 555 }));
    await expect(savePlayer(t.ctx, id, stale, stale.version, { ...service, merge: "none" })).rejects.toMatchObject({ code: "stale_version", currentVersion: 3, expectedVersion: 2 });
    expect(await t.sql.get(`SELECT * FROM "Player" WHERE "id" = ?`, id)).toEqual(before);
  });

  it("refuses a rename to a name that exists — regardless of case and invisible characters — with already_exists", async () => {
    await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    const other = await createPlayer(t.ctx, { name: "Hastur" }, system);
    await expect(savePlayer(t.ctx, other.id, { ...other, name: "ITHAQUA" }, 1, service)).rejects.toMatchObject({ code: "already_exists" });
    await expect(createPlayer(t.ctx, { name: "ithaqua" }, system)).rejects.toMatchObject({ code: "already_exists" });
    await expect(createPlayer(t.ctx, { name: "Ithaqua\u200b" }, system)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(createPlayer(t.ctx, { name: "\u202enimda" }, system)).rejects.toMatchObject({ code: "invalid_input" });
    // NFC: a decomposed é is the same name as the composed one.
    await createPlayer(t.ctx, { name: "Ren\u00e9" }, system);
    await expect(createPlayer(t.ctx, { name: "Rene\u0301" }, system)).rejects.toMatchObject({ code: "already_exists" });
    expect(await t.sql.get(`SELECT "version" FROM "Player" WHERE "id" = ?`, other.id)).toEqual({ version: 1 });
  });

  it("computes the level in SQL exactly as lib/players/level-curve.ts does, at every boundary", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Scholar" }, system);
    let experience = 0;
    for (let level = 2; level <= MAX_LEVEL; level += 7) {
      for (const target of [experienceForLevel(level) - 1, experienceForLevel(level)]) {
        if (target <= experience) continue;
        const result = await gainExperience(t.ctx, id, target - experience, {}, service);
        experience = target;
        expect(result.player.level).toBe(levelForExperience(target));
      }
    }
  });

  it("500 parallel mixed writes on 5 players reconcile exactly with the ledger", async () => {
    const players = await Promise.all(["A", "B", "C", "D", "E"].map((name) => createPlayer(t.ctx, { name: `Writer ${name}`, maxHealth: 100_000 }, system)));
    let seed = 11;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
    const operations = Array.from({ length: 500 }, (_, index) => {
      const id = players[index % players.length]!.id;
      const pick = random();
      if (pick < 0.5) return () => damagePlayer(t.ctx, id, 1 + Math.floor(random() * 20), {}, service);
      if (pick < 0.7) return () => healPlayer(t.ctx, id, 1 + Math.floor(random() * 20), {}, service);
      if (pick < 0.9) return () => gainExperience(t.ctx, id, 1 + Math.floor(random() * 300), {}, service);
      return () => correctHealth(t.ctx, id, { delta: -5, reason: "parallel correction" }, admin);
    });
    const results = await Promise.allSettled(operations.map((operation) => operation()));
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    for (const player of players) expect(await reconcilePlayer(t.sql, player.id, { health: 100_000, experience: 0, level: 1 })).toEqual([]);
    const versions = await t.sql.all<{ total: number }>(`SELECT SUM("version") - 5 AS "total" FROM "Player"`);
    expect(versions[0]!.total).toBe(500);
  });

  it("raises no false findings while 8 writers hit 20 players: 30 checks, 0 findings", async () => {
    const players = await Promise.all(Array.from({ length: 20 }, (_, index) => createPlayer(t.ctx, { name: `Busy ${index}`, maxHealth: 1_000_000 }, system)));
    let writing = true;
    let writes = 0;
    // Writers pace themselves (a few ms between writes): SQLite writes are synchronous and would
    // otherwise starve the checks. They also stop on their own after 60 s, whatever happens.
    const stopAt = Date.now() + 60_000;
    const writer = async (offset: number) => {
      let index = offset;
      while (writing && Date.now() < stopAt) {
        const id = players[index % players.length]!.id;
        index += 3;
        if (index % 5 === 0) await gainExperience(t.ctx, id, 7, {}, service);
        else await damagePlayer(t.ctx, id, 1, {}, service);
        writes += 1;
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    };
    const writers = Array.from({ length: 8 }, (_, offset) => writer(offset));
    const falseFindings: unknown[] = [];
    try {
      for (let run = 0; run < 30; run += 1) {
        // Each check starts with writers demonstrably busy (and they keep going while it reads).
        const seen = writes;
        await waitFor(() => writes >= seen + 5, 10_000, "the writers to make progress");
        const report = await runIntegrityCheck(t.ctx, manual);
        falseFindings.push(...report.findings.map((finding) => [run, finding.kind, finding.message]));
      }
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    expect(falseFindings).toEqual([]);
    expect(writes).toBeGreaterThanOrEqual(150);
    // And once the writers stop, a final check still agrees (the checkpoints moved forward honestly).
    expect((await runIntegrityCheck(t.ctx, manual)).findings).toEqual([]);
  });
});
