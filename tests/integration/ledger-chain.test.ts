import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { playerStateAt } from "../../lib/history/player-state-at.ts";
import { chainAlgorithmFor, verifyChain } from "../../lib/ledger/chain.ts";
import { pageChainRows } from "../../lib/ledger/chain-rows.ts";
import { exportPlayerLedger, verifyLedgerExport } from "../../lib/ledger/ledger-export.ts";
import { applyPrune, planPrune } from "../../lib/ledger/prune-ledger.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { healPlayer } from "../../lib/player-operations/heal-player.ts";
import { previewRestore, restorePlayer } from "../../lib/player-operations/restore-player.ts";
import { updateStats } from "../../lib/player-operations/update-stats.ts";
import { declareStats } from "../../lib/stats/declare-stats.ts";
import { demoStatDeclarations } from "../../lib/stats/stat-definition.ts";
import { AppError } from "../../lib/errors/app-error.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };
const support = { actor: { name: "support-anna", kind: "staff" as const } };
const manual = { trigger: "manual" as const, actor: "test" };
const DAY = 86_400_000;
const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * A tamper-evident ledger and retention that keeps it verifiable (lib/ledger): the triggers hash every
 * row, the integrity check finds rows edited, deleted or inserted behind the triggers' back, exports
 * verify offline, and a prune keeps state-at-a-moment, restore and verification working.
 * Runs on SQLite (integration) and PostgreSQL (integration-pg).
 */
describe("the ledger's hash chain", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
    await declareStats(t.ctx, demoStatDeclarations, system);
  });
  afterEach(async () => {
    await t.close();
  });

  const chainOf = async (playerId: string) => {
    const rows = [];
    for await (const page of pageChainRows(t.ctx, { playerId, afterId: 0 })) rows.push(...page);
    return rows;
  };
  const tamperingFindings = async () => (await runIntegrityCheck(t.ctx, manual)).findings.filter((finding) => finding.kind === "ledger_tampered");
  /** Sabotage as someone with database access would: the append-only and ledger triggers dropped first. */
  const dropTriggers = () =>
    t.sql.execute(
      t.dialect === "sqlite"
        ? `DROP TRIGGER "PlayerEvent_no_update"; DROP TRIGGER "PlayerEvent_no_delete"; DROP TRIGGER "Player_ledger";`
        : `DROP TRIGGER "PlayerEvent_no_update" ON "PlayerEvent"; DROP TRIGGER "Player_ledger" ON "Player";`,
    );
  const timestamp = (date: Date) => (t.dialect === "sqlite" ? `'${date.toISOString().replace("Z", "+00:00")}'` : `'${date.toISOString()}'`);

  async function busyPlayer(name: string) {
    const { id } = await createPlayer(t.ctx, { name }, system);
    await damagePlayer(t.ctx, id, 10, {}, service);
    await updateStats(t.ctx, id, { changes: [{ stat: "mana", op: "add", value: -10 }, { stat: "health", op: "add", value: 5 }], reason: "spell" }, service);
    await gainExperience(t.ctx, id, 40, {}, service);
    // A person in the sqlite3 shell / psql: ledgered as external, chained too.
    await t.sql.execute(`UPDATE "Player" SET "health" = 80 WHERE "id" = '${id}'`);
    await damagePlayer(t.ctx, id, 3, {}, service);
    return id;
  }

  it("hashes every row the triggers write, whoever writes, and the chain verifies from the start", async () => {
    const id = await busyPlayer("Ithaqua");
    const rows = await chainOf(id);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.hash ?? ""))).toBe(true);
    expect(rows.some((row) => row.reason === "external")).toBe(true);
    const verdict = verifyChain(chainAlgorithmFor(t.dialect), rows);
    expect(verdict).toMatchObject({ problems: [], unchained: 0, checked: rows.length });
    expect(await tamperingFindings()).toEqual([]);
  });

  it.runIf(process.env.PNAKOTIC_TEST_DATABASE !== "postgresql")("refuses an UPDATE from a tool without sha3(): no write escapes the chain", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Nyogtha" }, system);
    const raw = new Database(t.file);
    try {
      expect(() => raw.prepare(`UPDATE "Player" SET "health" = 1 WHERE "id" = ?`).run(id)).toThrow(/no such function: sha3/);
    } finally {
      raw.close();
    }
    expect(await t.sql.get(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`, id)).toEqual({ health: 100, version: 1 });
  });

  it("finds a row edited through a raw connection with the triggers dropped, even when the edit keeps the replay consistent", async () => {
    const id = await busyPlayer("Hastur");
    expect(await tamperingFindings()).toEqual([]); // sets the checkpoints
    await healPlayer(t.ctx, id, 2, {}, service);
    await damagePlayer(t.ctx, id, 7, {}, service);
    const damage = (await chainOf(id)).find((row) => row.field === "health" && row.before - row.after === 7)!;
    await dropTriggers();
    // Hide the damage: the row and the stored health agree afterwards, so only the chain can tell.
    await t.sql.execute(
      `UPDATE "PlayerEvent" SET "after" = "before", "delta" = 0 WHERE "id" = ${damage.id}; UPDATE "Player" SET "health" = "health" + 7 WHERE "id" = '${id}';`,
    );
    const findings = await tamperingFindings();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "error", playerId: id, eventIds: [damage.id], detail: { check: "chain", eventId: damage.id, problem: "edited_or_out_of_order" } });
    const report = await runIntegrityCheck(t.ctx, manual);
    expect(report.findings.filter((finding) => finding.kind === "ledger_mismatch")).toEqual([]);
  });

  it("finds a deleted row and a row inserted out of order", async () => {
    const deleted = await busyPlayer("Cthugha");
    const inserted = await busyPlayer("Zhar");
    await tamperingFindings();
    await healPlayer(t.ctx, deleted, 4, {}, service);
    await healPlayer(t.ctx, deleted, 1, {}, service);
    await healPlayer(t.ctx, inserted, 2, {}, service);
    const middle = (await chainOf(deleted)).at(-2)!;
    const template = (await chainOf(inserted)).at(-1)!;
    await dropTriggers();
    await t.sql.execute(`DELETE FROM "PlayerEvent" WHERE "id" = ${middle.id}`);
    // A copy of a real row (its hash included) appended again: the chain no longer leads to it.
    await t.sql.execute(
      `INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "actor", "changeId", "playerVersion", "hash")
       SELECT "playerId", "at", "field", "delta", "before", "after", "reason", "actor", 'forged-change', "playerVersion", "hash" FROM "PlayerEvent" WHERE "id" = ${template.id}`,
    );
    const findings = await tamperingFindings();
    const lastOfDeleted = (await chainOf(deleted)).at(-1)!;
    const forged = (await chainOf(inserted)).at(-1)!;
    expect(findings.map((finding) => [finding.playerId, finding.eventIds])).toEqual(
      expect.arrayContaining([
        [deleted, [lastOfDeleted.id]],
        [inserted, [forged.id]],
      ]),
    );
  });

  it("exports a ledger with its chain head; verify accepts it offline and refuses any edit, removal or a different head", async () => {
    const id = await busyPlayer("Ithaqua");
    const lines: string[] = [];
    for await (const line of exportPlayerLedger(t.ctx, "ithaqua")) lines.push(line);
    const verdict = await verifyLedgerExport(lines);
    expect(verdict).toMatchObject({ ok: true, playerId: id, problems: [], rows: lines.length - 2 });
    const head = (JSON.parse(lines.at(-1)!) as { head: string }).head;
    expect(verdict.head).toBe(head);

    const edited = lines.map((line, index) => (index === 2 ? line.replace(/"after":(-?\d+)/, (_, value: string) => `"after":${Number(value) + 1}`) : line));
    expect((await verifyLedgerExport(edited)).ok).toBe(false);
    const removed = lines.filter((_, index) => index !== 2);
    expect((await verifyLedgerExport(removed)).problems.join("\n")).toMatch(/does not match its hash|starts at/);
    expect((await verifyLedgerExport(lines.slice(0, -1))).problems).toContain("the end line is missing: the file is truncated");
    expect((await verifyLedgerExport(lines, { expectedHead: "0".repeat(64) })).ok).toBe(false);
  });

  it("prunes rows older than the policy: state at a later moment, restore, the check and export verification still work", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua" }, system);
    await t.sql.execute(`UPDATE "Player" SET "createdAt" = ${timestamp(new Date(Date.now() - 200 * DAY))} WHERE "id" = '${id}'`);
    const old = (days: number) => ({ ...service, at: new Date(Date.now() - days * DAY) });
    await damagePlayer(t.ctx, id, 10, {}, old(150));
    await gainExperience(t.ctx, id, 100, {}, old(140));
    await updateStats(t.ctx, id, { changes: [{ stat: "gold", op: "add", value: 50 }], reason: "loot" }, old(120));
    await damagePlayer(t.ctx, id, 20, {}, old(30));
    await healPlayer(t.ctx, id, 5, {}, old(20));
    const before = await playerStateAt(t.ctx, id, { at: new Date(Date.now() - 60 * DAY) });
    expect(before.stats).toMatchObject({ health: 90, experience: 100, gold: 50 });
    await runIntegrityCheck(t.ctx, manual); // a checkpoint that the prune will overtake

    const plan = await planPrune(t.ctx, new Date(Date.now() - 90 * DAY));
    expect(plan.players).toEqual([expect.objectContaining({ playerId: id, rows: expect.any(Number) })]);
    const result = await applyPrune(t.ctx, plan, { actor: "cli:test" });
    expect(result).toEqual({ players: 1, rows: plan.rows, skipped: [] });
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "PlayerEvent" WHERE "playerId" = ? AND "at" < ?`, id, new Date(Date.now() - 90 * DAY).toISOString())).toEqual({ n: 0 });

    // A moment after the cut still rebuilds; one before it is gone, said plainly.
    expect((await playerStateAt(t.ctx, id, { at: new Date(Date.now() - 60 * DAY) })).stats).toEqual(before.stats);
    await expect(playerStateAt(t.ctx, id, { at: new Date(Date.now() - 145 * DAY) })).rejects.toMatchObject({ code: "history_pruned" });
    // Restore to the state after the pruned events (the base), one audited write.
    const moment = { at: new Date(Date.now() - 60 * DAY) };
    const preview = await previewRestore(t.ctx, id, moment);
    const restored = await restorePlayer(t.ctx, id, moment, { ...support, reason: "ticket 4711", expectedVersion: preview.version });
    expect(restored.player).toMatchObject({ health: 90, experiencePoints: 100 });
    // Rows no prune has summed up stay undeletable.
    await expect(t.sql.execute(`DELETE FROM "PlayerEvent" WHERE "playerId" = '${id}'`)).rejects.toThrow(/append-only/);

    const report = await runIntegrityCheck(t.ctx, manual);
    expect(report.findings.filter((finding) => finding.playerId === id)).toEqual([]);
    const lines: string[] = [];
    for await (const line of exportPlayerLedger(t.ctx, id)) lines.push(line);
    expect(await verifyLedgerExport(lines)).toMatchObject({ ok: true, problems: [] });

    // Pruning everything: the next write chains on from the base's head.
    await applyPrune(t.ctx, await planPrune(t.ctx, new Date(Date.now() + DAY)), { actor: "cli:test" });
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "PlayerEvent" WHERE "playerId" = ?`, id)).toEqual({ n: 0 });
    await damagePlayer(t.ctx, id, 1, {}, service);
    expect((await runIntegrityCheck(t.ctx, manual)).findings.filter((finding) => finding.playerId === id)).toEqual([]);
    const after: string[] = [];
    for await (const line of exportPlayerLedger(t.ctx, id)) after.push(line);
    expect(await verifyLedgerExport(after)).toMatchObject({ ok: true, rows: 1 });
  });

  it("refuses a bad retention policy before reading anything", async () => {
    const { parseRetention } = await import("../../lib/ledger/prune-ledger.ts");
    for (const bad of ["0d", "90", "-5d", "1.5d", "9999999d", ""]) expect(() => parseRetention(bad), bad).toThrow(AppError);
    expect(parseRetention("90d")).toBe(90);
  });

  it("ledger export / verify / prune from the operator CLI", async () => {
    await busyPlayer("Ithaqua");
    const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-ledger-cli-"));
    try {
      const file = path.join(dir, "ithaqua.jsonl");
      const exported = await admin(["ledger", "export", "Ithaqua", "--out", file]);
      expect(exported.code, exported.stderr).toBe(0);
      const head = /chain head ([0-9a-f]{64})/.exec(exported.stderr)![1]!;
      expect(await admin(["ledger", "verify", file, "--head", head])).toMatchObject({ code: 0, stdout: expect.stringContaining(`chain head ${head}`) });
      expect((await admin(["ledger", "export", "Ithaqua", "--out", file])).stderr).toMatch(/cannot create .*EEXIST/);

      writeFileSync(file, readFileSync(file, "utf8").replace(/"actor":"game-server"/, '"actor":"someone-else"'));
      const refused = await admin(["ledger", "verify", file]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/NOT VERIFIED[\s\S]*does not match its hash/);

      const dryRun = await admin(["ledger", "prune", "--older-than", "90d"]);
      expect(dryRun).toMatchObject({ code: 0, stdout: expect.stringContaining("Nothing to prune.") });
      expect((await admin(["ledger", "prune", "--older-than", "soon"])).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  function admin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: t.config.DATABASE_URL, LOG_LEVEL: "warn" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }
});
