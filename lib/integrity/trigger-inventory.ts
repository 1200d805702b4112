import { createHash } from "node:crypto";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import expected from "./expected-triggers.json" with { type: "json" };
import type { Anomaly } from "./find-anomalies.ts";

/**
 * The database's triggers as installed, compared with the definitions the migrations install
 * (lib/integrity/expected-triggers.json, written by `npm run integrity:triggers` from freshly
 * migrated databases; tests/integration/trigger-inventory.test.ts keeps it current). A trigger
 * dropped, altered, disabled (PostgreSQL) or added behind Pnakotic's back is a finding, so putting a
 * trigger back after tampering is the only way not to be seen — and tampering is then seen by the
 * rows it left.
 *
 * A digest per trigger: SQLite's stored CREATE TRIGGER text; PostgreSQL's pg_get_triggerdef and
 * the function it runs (pg_get_functiondef).
 */
export type TriggerInventory = Record<string, string>;

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export async function installedTriggers(ctx: Pick<PersistenceContext, "db" | "dialect">): Promise<{ digests: TriggerInventory; disabled: string[] }> {
  if (ctx.dialect === "sqlite") {
    const rows = await ctx.db.$queryRawUnsafe<Array<{ name: string; sql: string }>>(`SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'trigger' ORDER BY "name"`);
    return { digests: Object.fromEntries(rows.map((row) => [row.name, digest(row.sql)])), disabled: [] };
  }
  const rows = await ctx.db.$queryRawUnsafe<Array<{ name: string; definition: string; enabled: string }>>(
    `SELECT c."relname" || '.' || t."tgname" AS "name", pg_get_triggerdef(t."oid") || E'\\n' || pg_get_functiondef(t."tgfoid") AS "definition", t."tgenabled"::text AS "enabled"
       FROM pg_trigger t JOIN pg_class c ON c."oid" = t."tgrelid" JOIN pg_namespace n ON n."oid" = c."relnamespace"
      WHERE NOT t."tgisinternal" AND n."nspname" = current_schema() ORDER BY 1`,
  );
  return { digests: Object.fromEntries(rows.map((row) => [row.name, digest(row.definition)])), disabled: rows.filter((row) => row.enabled === "D").map((row) => row.name) };
}

export const expectedTriggers = (dialect: PersistenceContext["dialect"]): TriggerInventory => expected[dialect];

/** One finding per trigger missing, altered, added or disabled. */
export async function triggerFindings(ctx: Pick<PersistenceContext, "db" | "dialect">): Promise<Anomaly[]> {
  const { digests, disabled } = await installedTriggers(ctx);
  const want = expectedTriggers(ctx.dialect);
  const found: Anomaly[] = [];
  const add = (trigger: string, problem: string, message: string) =>
    found.push({ kind: "trigger_altered", severity: "error", playerId: "", playerName: "(database)", message, eventIds: [], detail: { trigger, problem } });
  for (const [name, digestWanted] of Object.entries(want)) {
    if (!(name in digests)) add(name, "missing", `trigger ${name} is missing: it was dropped, and the ledger it guards was unprotected meanwhile`);
    else if (digests[name] !== digestWanted) add(name, "altered", `trigger ${name} differs from its definition: it was replaced by hand`);
  }
  for (const name of Object.keys(digests)) if (!(name in want)) add(name, "unknown", `trigger ${name} is not one Pnakotic installs`);
  for (const name of disabled) add(name, "disabled", `trigger ${name} is disabled: what it guards is unprotected until it is enabled again`);
  return found;
}
