import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ledgerReasons } from "../../lib/persistence/player-record.ts";
import { createTestContext } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

/**
 * The ledger's reasons are written in two places, the CHECK constraint each dialect's migrations
 * install and lib/persistence/player-record.ts's ledgerReasons (the API enum and the write path's
 * type come from the latter). This reads the constraint the database actually holds and compares.
 * Runs on SQLite (integration) and PostgreSQL (integration-pg).
 */
describe("ledger reasons", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("the installed CHECK constraint allows exactly ledgerReasons", async () => {
    const definition =
      t.dialect === "sqlite"
        ? (await t.sql.get<{ sql: string }>(`SELECT "sql" FROM sqlite_master WHERE "type" = 'table' AND "name" = 'PlayerEvent'`))!.sql
        : (await t.sql.get<{ sql: string }>(`SELECT pg_get_constraintdef(oid) AS "sql" FROM pg_constraint WHERE conname = 'PlayerEvent_reason_known'`))!.sql;
    // SQLite keeps the CREATE TABLE text (one line per constraint); PostgreSQL renders the CHECK alone.
    const check = t.dialect === "sqlite" ? definition.split("\n").find((line) => line.includes("PlayerEvent_reason_known")) : definition;
    expect(check, definition).toBeDefined();
    const allowed = [...check!.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]);
    expect([...allowed].sort()).toEqual([...ledgerReasons].sort());
  });
});
