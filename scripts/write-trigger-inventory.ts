/**
 * Writes lib/integrity/expected-triggers.json: the digest of every trigger the migrations install,
 * read from a freshly migrated SQLite file and PostgreSQL database. Run after a migration that adds or
 * changes a trigger: `npm run integrity:triggers` (tests/integration/trigger-inventory.test.ts fails
 * until then).
 */
import { writeFileSync } from "node:fs";
import { parseConfig } from "../lib/config.ts";
import { installedTriggers } from "../lib/integrity/trigger-inventory.ts";
import { createPersistenceContext } from "../lib/runtime/create-persistence-context.ts";
import { provisionDatabase } from "../tests/helpers/provision-database.ts";

const inventory: Record<string, Record<string, string>> = {};
for (const kind of ["sqlite", "postgresql"] as const) {
  const database = await provisionDatabase(kind);
  const ctx = createPersistenceContext(parseConfig({ DATABASE_URL: database.url, LOG_LEVEL: "error" }), { instanceId: "trigger-inventory" });
  try {
    inventory[kind] = (await installedTriggers(ctx)).digests;
  } finally {
    await ctx.bus.close();
    await ctx.db.$disconnect();
    await database.remove();
  }
}
writeFileSync(new URL("../lib/integrity/expected-triggers.json", import.meta.url), `${JSON.stringify(inventory, null, 2)}\n`);
console.log(`wrote lib/integrity/expected-triggers.json: ${Object.keys(inventory.sqlite!).length} SQLite and ${Object.keys(inventory.postgresql!).length} PostgreSQL triggers`);
process.exit(0);
