/**
 * Issue 20's figure: /api/health while the integrity check reads a 1,000,000-row backlog on one
 * player, on both databases (a real production server; needs `npm run build`).
 *
 *   npx tsx bench/integrity-backlog.ts [rows] [sqlite|postgresql|both]
 *
 * Prints one line per database (docs/RELIABILITY.md keeps the figures).
 */
import { describeBacklogCheck, runBacklogCheck } from "../tests/helpers/backlog-check.ts";

const rows = Number(process.argv[2] ?? 1_000_000);
const which = process.argv[3] ?? "both";
for (const kind of ["sqlite", "postgresql"] as const) {
  if (which !== "both" && which !== kind) continue;
  const check = await runBacklogCheck(kind, rows);
  try {
    console.log(describeBacklogCheck(kind, rows, check));
    console.log(`  run ${check.run.status}, ${check.run.eventsScanned} rows, ${check.run.findingCount} findings; failures: ${check.failures.slice(0, 3).join("; ") || "none"}`);
  } finally {
    await check.close();
  }
}
