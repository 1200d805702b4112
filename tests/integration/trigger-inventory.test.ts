import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { expectedTriggers, installedTriggers } from "../../lib/integrity/trigger-inventory.ts";
import { createTestContext } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const manual = { trigger: "manual" as const, actor: "test" };

/**
 * The integrity check compares the installed triggers with the definitions the migrations install
 * (issue 20): a trigger dropped, altered or disabled is a finding, on SQLite and PostgreSQL.
 */
describe("trigger inventory", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  const triggerFindings = async () =>
    (await runIntegrityCheck(t.ctx, manual)).findings.filter((finding) => finding.kind === "trigger_altered").map((finding) => [finding.detail.trigger, finding.detail.problem]);

  it("a fresh database has exactly the committed definitions (run `npm run integrity:triggers` after a migration changes a trigger)", async () => {
    expect((await installedTriggers(t.ctx)).digests).toEqual(expectedTriggers(t.dialect));
    expect(await triggerFindings()).toEqual([]);
  });

  it("reports a dropped, an altered and a disabled trigger, and nothing once they are back", async () => {
    if (t.dialect === "postgresql") {
      await t.sql.execute(`ALTER TABLE "AuditEntry" DISABLE TRIGGER "AuditEntry_append_only"`);
      expect(await triggerFindings()).toEqual([["AuditEntry.AuditEntry_append_only", "disabled"]]);
      await t.sql.execute(`ALTER TABLE "AuditEntry" ENABLE TRIGGER "AuditEntry_append_only"; DROP TRIGGER "LedgerBase_append_only" ON "LedgerBase"`);
      expect(await triggerFindings()).toEqual([["LedgerBase.LedgerBase_append_only", "missing"]]);
      await t.sql.execute(`CREATE TRIGGER "LedgerBase_append_only" BEFORE UPDATE ON "LedgerBase" FOR EACH ROW EXECUTE FUNCTION "LedgerBase_append_only"()`);
      expect(await triggerFindings()).toEqual([["LedgerBase.LedgerBase_append_only", "altered"]]);
      await t.sql.execute(
        `DROP TRIGGER "LedgerBase_append_only" ON "LedgerBase"; CREATE TRIGGER "LedgerBase_append_only" BEFORE INSERT OR UPDATE OR DELETE ON "LedgerBase" FOR EACH ROW EXECUTE FUNCTION "LedgerBase_append_only"()`,
      );
      expect(await triggerFindings()).toEqual([]);
      return;
    }
    const original = (await t.sql.get<{ sql: string }>(`SELECT "sql" FROM "sqlite_master" WHERE "name" = 'AuditEntry_no_delete'`))!.sql;
    await t.sql.execute(`DROP TRIGGER "AuditEntry_no_delete"`);
    expect(await triggerFindings()).toEqual([["AuditEntry_no_delete", "missing"]]);
    await t.sql.execute(`CREATE TRIGGER "AuditEntry_no_delete" BEFORE DELETE ON "AuditEntry" WHEN OLD."actor" <> 'me' BEGIN SELECT RAISE(ABORT, 'AuditEntry is append-only'); END`);
    expect(await triggerFindings()).toEqual([["AuditEntry_no_delete", "altered"]]);
    await t.sql.execute(`DROP TRIGGER "AuditEntry_no_delete"; ${original};`);
    expect(await triggerFindings()).toEqual([]);
  });
});
