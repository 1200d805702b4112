/**
 * Runs the PostgreSQL test projects (the persistence suite on PostgreSQL, and two real app
 * instances on one database). Without a reachable PostgreSQL they are skipped with a message —
 * except in CI (CI=true), where that is a failure.
 */
import { spawnSync } from "node:child_process";
import pg from "pg";

const url = process.env.PNAKOTIC_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const shownUrl = url.replace(/:[^:@/]*@/, ":***@");

async function reachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await reachable();
if (problem) {
  if (process.env.CI === "true") {
    console.error(`test:postgres: PostgreSQL is not reachable at ${shownUrl} (${problem}); CI=true, so this is a failure.`);
    process.exit(1);
  }
  console.warn(
    `test:postgres: SKIPPED — PostgreSQL is not reachable at ${shownUrl} (${problem}).\n` +
      "  Start one, or point PNAKOTIC_TEST_POSTGRES_URL at one, to run the PostgreSQL and multi-instance tests.",
  );
  process.exit(0);
}
const result = spawnSync("npx", ["vitest", "run", "--project", "integration-pg", "--project", "multi-instance", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
