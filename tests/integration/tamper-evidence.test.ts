import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { playerStateAt } from "../../lib/history/player-state-at.ts";
import { exportPlayerLedger, verifyLedgerExport } from "../../lib/ledger/ledger-export.ts";
import { applyPrune, planPrune } from "../../lib/ledger/prune-ledger.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };
const manual = { trigger: "manual" as const, actor: "test" };

/**
 * Issue 20, severe #4: someone with database access but without Pnakotic's signing key erases
 * history. Each attack is made for real through a plain SQL connection — with the append-only
 * triggers dropped (SQLite) or disabled (PostgreSQL) where they stand in the way — and each time
 * the next integrity check AND `ledger verify` on a fresh export report it.
 */
describe("tamper evidence without trusting the database", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

  /** Runs `sql` with the named triggers out of the way, then puts them back exactly as they were. */
  async function withoutTriggers(triggers: Array<{ table: string; sqlite: string; postgresql: string }>, sql: string) {
    if (t.dialect === "postgresql") {
      const off = triggers.map((trigger) => `ALTER TABLE "${trigger.table}" DISABLE TRIGGER "${trigger.postgresql}"`).join("; ");
      const on = triggers.map((trigger) => `ALTER TABLE "${trigger.table}" ENABLE TRIGGER "${trigger.postgresql}"`).join("; ");
      await t.sql.execute(`${off}; ${sql}; ${on}`);
      return;
    }
    const definitions: string[] = [];
    for (const trigger of triggers) definitions.push((await t.sql.get<{ sql: string }>(`SELECT "sql" FROM "sqlite_master" WHERE "type" = 'trigger' AND "name" = ?`, trigger.sqlite))!.sql);
    await t.sql.execute(`${triggers.map((trigger) => `DROP TRIGGER "${trigger.sqlite}"`).join("; ")}; ${sql}; ${definitions.join(";\n")};`);
  }
  const auditDelete = { table: "AuditEntry", sqlite: "AuditEntry_no_delete", postgresql: "AuditEntry_append_only" };
  const eventDelete = { table: "PlayerEvent", sqlite: "PlayerEvent_no_delete", postgresql: "PlayerEvent_no_update" };
  const baseUpdate = { table: "LedgerBase", sqlite: "LedgerBase_append_only", postgresql: "LedgerBase_append_only" };
  const checkpointUpdate = { table: "LedgerCheckpoint", sqlite: "LedgerCheckpoint_append_only", postgresql: "LedgerCheckpoint_append_only" };

  /** A player with history, checked once (a signed checkpoint), then a manual fix made in SQL. */
  async function story() {
    const player = await createPlayer(t.ctx, { name: "Ithaqua", experiencePoints: 554 }, system);
    for (let round = 0; round < 3; round += 1) await damagePlayer(t.ctx, player.id, 10, {}, service);
    await gainExperience(t.ctx, player.id, 1, {}, service);
    expect((await runIntegrityCheck(t.ctx, manual)).run).toMatchObject({ findingCount: 0 });
    // The manual `gold := 999999` of the issue: a plain UPDATE, ledgered as external and audited.
    await t.sql.execute(`UPDATE "Player" SET "experiencePoints" = 999999 WHERE "id" = ${text(player.id)}`);
    return player.id;
  }

  const nonExternal = async () => (await runIntegrityCheck(t.ctx, manual)).findings.filter((finding) => finding.kind !== "external_change");

  async function verifyFreshExport(playerId: string) {
    const lines: string[] = [];
    for await (const line of exportPlayerLedger(t.ctx, playerId)) lines.push(line);
    return verifyLedgerExport(lines, { signer: t.ctx.ledgerSigner });
  }

  it("honest history, a prune and a later check verify: signed checkpoints and bases, nothing reported", async () => {
    const id = await story();
    expect(await nonExternal()).toEqual([]);
    const plan = await planPrune(t.ctx, new Date(Date.now() + 60_000));
    await applyPrune(t.ctx, plan, { actor: "test" });
    await damagePlayer(t.ctx, id, 1, {}, service);
    expect(await nonExternal()).toEqual([]);
    const verdict = await verifyFreshExport(id);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    // Checkpoints and bases are append-only: an UPDATE or a DELETE of the latest is refused.
    await expect(t.sql.execute(`UPDATE "LedgerBase" SET "throughEventId" = "throughEventId" + 1`)).rejects.toThrow(/append-only/);
    await expect(t.sql.execute(`DELETE FROM "LedgerBase"`)).rejects.toThrow(/kept for as long as the player/);
    await expect(t.sql.execute(`UPDATE "LedgerCheckpoint" SET "lastEventId" = "lastEventId" + 1`)).rejects.toThrow(/append-only/);
    await expect(t.sql.execute(`DELETE FROM "LedgerCheckpoint"`)).rejects.toThrow(/LedgerCheckpoint/);
    await expect(t.sql.execute(`DELETE FROM "AuditEntry"`)).rejects.toThrow(/AuditEntry is append-only/);
    await expect(t.sql.execute(`UPDATE "AuditEntry" SET "actor" = 'nobody'`)).rejects.toThrow(/AuditEntry is append-only/);
  });

  it("a LedgerBase inserted at the last event, then the player's rows and the external_change audit deleted: reported by the check and by verify", async () => {
    const id = await story();
    const last = (await t.sql.get<{ id: number; n: number }>(`SELECT max("id") AS "id", count(*) AS "n" FROM "PlayerEvent" WHERE "playerId" = ?`, id))!;
    const state = await playerStateAt(t.ctx, id, { event: last.id });
    const fullState = JSON.stringify({ ...state.stats, name: state.name, room: state.room, profession: state.profession });
    const head = (await t.sql.get<{ hash: string }>(`SELECT "hash" FROM "PlayerEvent" WHERE "id" = ?`, last.id))!.hash;
    // The head of a one-row write is H(its row hash): what the attacker reads from the last write.
    const { writeHead, chainAlgorithmFor } = await import("../../lib/ledger/chain.ts");
    const chainHead = writeHead(chainAlgorithmFor(t.dialect), [head]);
    const now = t.dialect === "postgresql" ? "now()" : "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')";
    // No trigger stands in the way of the insert, and the base then lets the delete trigger pass.
    await withoutTriggers(
      [auditDelete],
      `INSERT INTO "LedgerBase" ("playerId", "throughEventId", "throughAt", "version", "state", "chainHead", "prunedRows", "prunedAt", "prunedBy", "signature")
         VALUES (${text(id)}, ${last.id}, ${now}, ${state.version}, ${text(fullState)}, ${text(chainHead)}, ${last.n}, ${now}, 'cli:operator', NULL);
       DELETE FROM "PlayerEvent" WHERE "playerId" = ${text(id)};
       DELETE FROM "AuditEntry" WHERE "action" = 'player.external_change'`,
    );
    expect(await t.sql.get(`SELECT count(*) AS "n" FROM "PlayerEvent" WHERE "playerId" = ?`, id)).toEqual({ n: 0 });

    const findings = await nonExternal();
    expect(findings.map((finding) => finding.kind)).toContain("anchor_forged");
    expect(findings.find((finding) => finding.kind === "anchor_forged")!.message).toMatch(/prune base through event \d+ is not signed/);
    const verdict = await verifyFreshExport(id);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join("\n")).toMatch(/prune base through event \d+ is not signed by this key/);
  });

  it("a signed prune base moved forward, rows deleted under it: reported by the check and by verify", async () => {
    const id = await story();
    await applyPrune(t.ctx, await planPrune(t.ctx, new Date(Date.now() + 60_000)), { actor: "test" });
    for (let round = 0; round < 3; round += 1) await damagePlayer(t.ctx, id, 1, {}, service);
    expect(await nonExternal()).toEqual([]);
    const last = (await t.sql.get<{ id: number }>(`SELECT max("id") AS "id" FROM "PlayerEvent" WHERE "playerId" = ?`, id))!;
    await withoutTriggers([baseUpdate, eventDelete], `UPDATE "LedgerBase" SET "throughEventId" = ${last.id - 1} WHERE "playerId" = ${text(id)}; DELETE FROM "PlayerEvent" WHERE "playerId" = ${text(id)} AND "id" < ${last.id}`);
    expect((await nonExternal()).map((finding) => finding.kind)).toContain("anchor_forged");
    const verdict = await verifyFreshExport(id);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join("\n")).toMatch(/prune base through event \d+ is not signed by this key/);
  });

  it("rows deleted under a signed checkpoint, and a checkpoint moved forward: each reported by the check and by verify", async () => {
    const id = await story();
    for (let round = 0; round < 2; round += 1) await damagePlayer(t.ctx, id, 1, {}, service);
    expect(await nonExternal()).toEqual([]);
    // Delete the external change's rows: under the signed checkpoint, behind the delete trigger.
    await withoutTriggers([eventDelete, auditDelete], `DELETE FROM "PlayerEvent" WHERE "playerId" = ${text(id)} AND "reason" = 'external'; DELETE FROM "AuditEntry" WHERE "action" = 'player.external_change'`);
    const missing = await nonExternal();
    expect(missing.map((finding) => finding.kind)).toContain("ledger_rows_missing");
    let verdict = await verifyFreshExport(id);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join("\n")).toMatch(/rows under the signed checkpoint were removed|does not match its hash/);

    // The checkpoint moved forward past the gap (an UPDATE, trigger disabled): its signature breaks.
    const latest = (await t.sql.get<{ lastEventId: number }>(`SELECT max("lastEventId") AS "lastEventId" FROM "LedgerCheckpoint" WHERE "playerId" = ?`, id))!;
    await withoutTriggers([checkpointUpdate], `UPDATE "LedgerCheckpoint" SET "lastEventId" = ${latest.lastEventId + 1} WHERE "playerId" = ${text(id)}`);
    expect((await nonExternal()).map((finding) => finding.kind)).toContain("anchor_forged");
    verdict = await verifyFreshExport(id);
    expect(verdict.problems.join("\n")).toMatch(/checkpoint at event \d+ is not signed by this key/);
  });

  it("`ledger verify --contains` says whether an old head is still in the chain", async () => {
    const id = await createPlayer(t.ctx, { name: "Kept" }, system).then((player) => player.id);
    await damagePlayer(t.ctx, id, 5, {}, service);
    const lines: string[] = [];
    for await (const line of exportPlayerLedger(t.ctx, id)) lines.push(line);
    const kept = (JSON.parse(lines.at(-1)!) as { head: string }).head;
    await damagePlayer(t.ctx, id, 5, {}, service);
    const fresh: string[] = [];
    for await (const line of exportPlayerLedger(t.ctx, id)) fresh.push(line);
    const verdict = await verifyLedgerExport(fresh, { signer: t.ctx.ledgerSigner, contains: kept });
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.contains).toBeGreaterThan(0);
    const other = await verifyLedgerExport(fresh, { signer: t.ctx.ledgerSigner, contains: "f".repeat(64) });
    expect(other).toMatchObject({ ok: false, contains: null });
  });
});
