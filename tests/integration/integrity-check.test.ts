import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IntegrityMonitor } from "../../lib/integrity/integrity-monitor.ts";
import { RESAMPLE_EVERY, latestIntegrityReport, runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { respawnPlayer } from "../../lib/player-operations/respawn-player.ts";
import { appendLedgerBacklog } from "../helpers/ledger-backlog.ts";
import { createTestContext, system, updateBehindLedger } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };
const manual = { trigger: "manual" as const, actor: "test" };

describe("integrity check against the database", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  /** The seed story: 100 → 90 → 80 → 70, then XP 554 → 555 (level stays 3). Ends at version 5. */
  async function story(name: string) {
    const player = await createPlayer(t.ctx, { name, experiencePoints: 554 }, system);
    for (let round = 0; round < 3; round += 1) await damagePlayer(t.ctx, player.id, 10, {}, service);
    await gainExperience(t.ctx, player.id, 1, {}, service);
    return player.id;
  }

  /** `t.sql.execute` takes a plain script (no parameters): quote values into it. */
  const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

  /** Appends a forged ledger row (the ledger refuses UPDATE and DELETE, not INSERT). */
  async function forgeEvent(playerId: string, row: { field: string; before: number; after: number; reason: string; changeId: string; playerVersion: number }) {
    await t.sql.execute(
      `INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "actor", "changeId", "playerVersion")
       VALUES (${text(playerId)}, '2026-11-24T00:00:00.000+00:00', ${text(row.field)}, ${row.after - row.before}, ${row.before}, ${row.after}, ${text(row.reason)}, 'forger', ${text(row.changeId)}, ${row.playerVersion})`,
    );
  }

  /**
   * Changes the stored row behind the ledger's back: someone with database access drops (SQLite) or
   * disables (PostgreSQL) the ledger trigger, writes, and puts the trigger back.
   */
  async function tamper(playerId: string, set: string) {
    // The monitor test below makes this write during a check: it lands within the same tick.
    await updateBehindLedger(t, `UPDATE "Player" SET ${set} WHERE "id" = ${text(playerId)}`);
  }

  it("finds nothing after honest writes: the story, a death and respawn, a player created with non-default values", async () => {
    await story("Honest");
    const respawned = await createPlayer(t.ctx, { name: "Respawned" }, system);
    await damagePlayer(t.ctx, respawned.id, 1_000, {}, service);
    await respawnPlayer(t.ctx, respawned.id, service);
    // Created at 40/100 HP and 900 XP: no ledger rows for creation, version 1.
    await createPlayer(t.ctx, { name: "Veteran", health: 40, experiencePoints: 900 }, system);

    const report = await runIntegrityCheck(t.ctx, manual);
    expect(report.run).toMatchObject({ trigger: "manual", actor: "test", playersScanned: 3, eventsScanned: 6, findingCount: 0 });
    expect(report.findings).toEqual([]);
  });

  it("flags each kind of sabotage on the right player, and nothing else", async () => {
    const honest = await story("Honest");
    const overwritten = await story("Overwritten");
    const forged = await story("Forged");
    const risen = await story("Risen");
    const sunk = await story("Sunk");
    const broken = await story("Broken");
    const bumped = await story("Bumped");
    const outside = await story("Outside");
    expect((await runIntegrityCheck(t.ctx, manual)).findings).toEqual([]);

    // A plain UPDATE in sqlite3/psql, with the trigger in place: ledgered as external, reported as such.
    await t.sql.execute(`UPDATE "Player" SET "health" = 100 WHERE "id" = ${text(outside)}`);

    // The original bug, behind the ledger's back: a whole-object save put health back to 100.
    await tamper(overwritten, `"health" = 100`);
    // An XP change whose transaction also moved health; the stored row agrees with the forged ledger.
    await forgeEvent(forged, { field: "experience", before: 555, after: 556, reason: "experience", changeId: "forged-xp", playerVersion: 6 });
    await forgeEvent(forged, { field: "health", before: 70, after: 100, reason: "experience", changeId: "forged-xp", playerVersion: 6 });
    await tamper(forged, `"health" = 100, "experiencePoints" = 556, "version" = 6`);
    // Killed honestly, then healed (not respawned) through a forged row.
    await damagePlayer(t.ctx, risen, 1_000, {}, service);
    await forgeEvent(risen, { field: "health", before: t.ctx.healthFloor, after: 20, reason: "heal", changeId: "forged-heal", playerVersion: 7 });
    await tamper(risen, `"health" = 20, "version" = 7`);
    // Health pushed below the floor (the CHECK constraint only guards maxHealth).
    await forgeEvent(sunk, { field: "health", before: 70, after: -50, reason: "damage", changeId: "forged-sink", playerVersion: 6 });
    await tamper(sunk, `"health" = -50, "version" = 6`);
    // A ledger row that does not start where the previous one ended (70).
    await forgeEvent(broken, { field: "health", before: 60, after: 50, reason: "damage", changeId: "forged-gap", playerVersion: 6 });
    await tamper(broken, `"health" = 50, "version" = 6`);
    // A write that left no ledger rows.
    await tamper(bumped, `"version" = 6`);

    const report = await runIntegrityCheck(t.ctx, manual);
    // Every forged row also lacks the hash the trigger would have given it: the chain names those players again.
    const tampered = report.findings.filter((finding) => finding.kind === "ledger_tampered");
    expect(tampered.map((finding) => [finding.playerName, finding.detail.problem]).sort()).toEqual([
      ["Broken", "unchained_after_chain"],
      ["Forged", "unchained_after_chain"],
      ["Risen", "unchained_after_chain"],
      ["Sunk", "unchained_after_chain"],
    ]);
    const found = report.findings.filter((finding) => finding.kind !== "ledger_tampered").map((finding) => [finding.playerName, finding.kind, finding.detail]);
    expect(found).toHaveLength(7);
    expect(found).toEqual(
      expect.arrayContaining([
        ["Overwritten", "ledger_mismatch", { check: "replay", field: "health", stored: 100, replayed: 70 }],
        ["Forged", "xp_change_touched_health", { changeId: "forged-xp", experienceBefore: 555, experienceAfter: 556, healthBefore: 70, healthAfter: 100 }],
        ["Risen", "health_rose_after_death", { before: t.ctx.healthFloor, after: 20, reason: "heal", floor: t.ctx.healthFloor }],
        ["Sunk", "health_out_of_range", { health: -50, maxHealth: 100, floor: t.ctx.healthFloor }],
        ["Broken", "ledger_mismatch", { check: "chain", field: "health", previousAfter: 70, before: 60 }],
        ["Bumped", "ledger_mismatch", { check: "version", version: 6, expectedVersion: 5, writes: 4 }],
        ["Outside", "external_change", expect.objectContaining({ fields: "health", actor: t.dialect === "sqlite" ? "database" : expect.any(String) })],
      ]),
    );
    expect(report.run).toMatchObject({ playersScanned: 8, findingCount: 11 });
    // The external write itself reconciles: it is in the ledger, with its own version.
    expect(await t.sql.get(`SELECT "field", "before", "after", "reason", "playerVersion" FROM "PlayerEvent" WHERE "playerId" = ? AND "reason" = 'external'`, outside)).toEqual({
      field: "health",
      before: 70,
      after: 100,
      reason: "external",
      playerVersion: 6,
    });
    // The findings point at the ledger rows involved.
    const forgedFinding = report.findings.find((finding) => finding.playerId === forged)!;
    const forgedRows = await t.sql.all<{ id: number }>(`SELECT "id" FROM "PlayerEvent" WHERE "changeId" = 'forged-xp' ORDER BY "id"`);
    expect(forgedFinding.eventIds).toEqual(forgedRows.map((row) => Number(row.id)));
    expect(report.findings.some((finding) => finding.playerId === honest)).toBe(false);

    // Stored: any instance (or a restarted one) reads the same latest report, per player too.
    const stored = await latestIntegrityReport(t.ctx, { playerId: overwritten });
    expect(stored.run?.id).toBe(report.run?.id);
    expect(stored.findings.map((finding) => finding.kind)).toEqual(["ledger_mismatch"]);
    expect((await latestIntegrityReport(t.ctx, { playerId: honest })).findings).toEqual([]);
    const rows = await t.sql.all<{ kind: string; playerId: string }>(`SELECT "kind", "playerId" FROM "IntegrityFinding" WHERE "runId" = ?`, report.run!.id);
    expect(rows).toHaveLength(11);
  });

  it("stops at its time budget with what it verified checkpointed, and the next runs resume there until the backlog is done", async () => {
    const player = await createPlayer(t.ctx, { name: "Backlogged" }, system);
    await appendLedgerBacklog(t.config.DATABASE_URL, player.id, 6_000);
    const runs = [];
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const report = await runIntegrityCheck(t.ctx, { ...manual, budgetMs: 1 });
      runs.push(report.run!);
      if (report.run!.status === "finished") break;
      expect(report.run).toMatchObject({ status: "stopped", findingCount: 0 });
      expect(report.run!.note).toContain("time budget of 1 ms ran out");
    }
    // Several runs, each reading only past the previous one's checkpoint (a write cut by the budget
    // is read again whole), together read the backlog once.
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.at(-1)).toMatchObject({ status: "finished", findingCount: 0, playersScanned: 1 });
    const read = runs.reduce((sum, run) => sum + run.eventsScanned, 0);
    expect(read).toBeGreaterThanOrEqual(6_000);
    expect(read).toBeLessThan(6_000 + runs.length);
    const checkpoint = await t.sql.get<{ lastEventId: number; version: number }>(`SELECT "lastEventId", "version" FROM "LedgerCheckpoint" WHERE "playerId" = ?`, player.id);
    expect(checkpoint).toMatchObject({ version: 6_001 });
    // And an honest write after the backlog chains onto it.
    await gainExperience(t.ctx, player.id, 1, {}, service);
    expect((await runIntegrityCheck(t.ctx, manual)).run).toMatchObject({ status: "finished", findingCount: 0, eventsScanned: 2 });
  });

  it("re-verifies already-checked history: a rotating sample finds an old row edited under the checkpoint within RESAMPLE_EVERY runs, and scope full at once", async () => {
    const victim = await story("Victim");
    expect((await runIntegrityCheck(t.ctx, manual)).run).toMatchObject({ findingCount: 0 });
    // An old row's actor edited with the ledger's update trigger out of the way, then put back.
    const edit = `UPDATE "PlayerEvent" SET "actor" = 'someone-else' WHERE "id" = (SELECT min("id") FROM "PlayerEvent" WHERE "playerId" = ${text(victim)})`;
    if (t.dialect === "postgresql") await t.sql.execute(`ALTER TABLE "PlayerEvent" DISABLE TRIGGER "PlayerEvent_no_update"; ${edit}; ALTER TABLE "PlayerEvent" ENABLE TRIGGER "PlayerEvent_no_update"`);
    else {
      const trigger = (await t.sql.get<{ sql: string }>(`SELECT "sql" FROM "sqlite_master" WHERE "name" = 'PlayerEvent_no_update'`))!.sql;
      await t.sql.execute(`DROP TRIGGER "PlayerEvent_no_update"; ${edit}; ${trigger};`);
    }
    const full = await runIntegrityCheck(t.ctx, { ...manual, scope: "full" });
    expect(full.run).toMatchObject({ scope: "full", eventsScanned: 0, eventsResampled: 4 });
    expect(full.findings.map((finding) => [finding.playerName, finding.kind])).toEqual([["Victim", "ledger_tampered"]]);
    // Incremental runs: the finding is not lost to a checkpoint, and the sample reaches the row.
    const kinds = [];
    for (let run = 0; run < RESAMPLE_EVERY; run += 1) kinds.push((await runIntegrityCheck(t.ctx, manual)).findings.map((finding) => finding.kind));
    expect(kinds.flat()).toContain("ledger_tampered");
  });

  it("answers a request made during a check with a fresh check that sees the request's state", async () => {
    const monitor = new IntegrityMonitor(t.ctx, 0);
    const victim = await story("Victim");
    const first = monitor.run({ trigger: "schedule", actor: "scheduler" });
    // Arrives while the first check may already have read the players.
    await tamper(victim, `"health" = 100`);
    const [second, third] = await Promise.all([monitor.run(manual), monitor.run({ trigger: "manual", actor: "other" })]);
    const firstReport = await first;
    expect(second.run!.id).not.toBe(firstReport.run!.id);
    expect(third.run!.id).toBe(second.run!.id);
    expect(Date.parse(second.run!.startedAt)).toBeGreaterThanOrEqual(Date.parse(firstReport.run!.finishedAt!));
    expect(second.findings.map((finding) => [finding.playerName, finding.kind])).toEqual([["Victim", "ledger_mismatch"]]);
    expect((await monitor.report(victim)).run!.id).toBe(second.run!.id);
  });
});
