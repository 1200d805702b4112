import type { ImportReport } from "./run-import.ts";

/** The import's report for a person: what would change (or did), and every refused player with why. */
export function printImportReport(report: ImportReport, print: (line: string) => void): void {
  const count = (n: number) => n.toLocaleString("en");
  print(`${report.dryRun ? "DRY RUN (nothing written)" : "APPLIED"}: source "${report.source}", ${count(report.read)} players read`);
  print(`  ${report.dryRun ? "would create" : "created"}: ${count(report.created)} (one ledger row each, reason "import")`);
  print(`  already imported (left unchanged): ${count(report.unchanged)}`);
  print(`  refused: ${count(report.refused.length)}`);
  for (const player of report.sample) {
    print(`  + ${player.name} (${player.sourceId}): health ${player.health}/${player.maxHealth}, experience ${player.experiencePoints} (level ${player.level}), room ${player.currentRoomId ?? "-"}, stats ${JSON.stringify(player.stats)}`);
  }
  if (report.created > report.sample.length) print(`  + … and ${count(report.created - report.sample.length)} more`);
  for (const refusal of report.refused) print(`  REFUSED ${refusal.name} (${refusal.sourceId}): ${refusal.reason}`);
  if (report.dryRun && report.created > 0) print("Nothing was changed. Run again with --apply to import them.");
}
