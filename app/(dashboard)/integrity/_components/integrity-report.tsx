"use client";

import Link from "next/link";
import { Panel } from "@/app/_components/ui/panel";
import { useSession } from "@/app/_components/session-context";
import { useIntegrityReport, useRunIntegrityCheck } from "@/app/_hooks/queries/integrity";
import { formatDateTime, formatNumber, formatRelative } from "@/app/_lib/format";

const kindLabels: Record<string, string> = {
  ledger_mismatch: "Stored state ≠ ledger replay",
  state_mismatch: "Stored state ≠ ledger replay",
  health_out_of_range: "Health outside [floor, max]",
  risen_without_respawn: "Health rose after death without a respawn",
  health_rose_after_death: "Health rose after death without a respawn",
  xp_change_touched_health: "XP change also changed health",
  anchor_forged: "Prune base or checkpoint not signed by Pnakotic",
  ledger_rows_missing: "Rows missing under a signed checkpoint",
  trigger_altered: "Database trigger dropped, altered or disabled",
  conservation: "Conserved stat changed outside a transfer or declared source/sink",
};

export function IntegrityReportView() {
  const { canSupport } = useSession();
  const report = useIntegrityReport();
  const run = useRunIntegrityCheck();
  const findings = report.data?.findings ?? [];
  const purges = report.data?.purges ?? [];
  const latest = report.data?.run;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Integrity</h1>
          <p className="muted" style={{ margin: "4px 0 0" }}>
            Scans every player and the ledger for: stored state that differs from the ledger replay, health outside [floor, max], health rising after death without a
            respawn, and XP changes whose transaction also changed health (the original bug&apos;s fingerprint).
          </p>
        </div>
        {canSupport ? (
          <button type="button" className="button primary" onClick={() => run.mutate()} disabled={run.isPending}>
            {run.isPending ? "Checking…" : "Run check now"}
          </button>
        ) : null}
      </div>
      {run.data?.run && (run.data.run.status === "queued" || run.data.run.status === "running") ? (
        <p className="muted" role="status">
          The check goes on in the background ({formatNumber(run.data.run.eventsScanned)} rows so far); the report below updates when it finishes.
        </p>
      ) : null}
      {run.error ? (
        <p className="form-error" role="alert">
          The check failed: {run.error.message}
        </p>
      ) : null}
      <Panel
        title={latest ? `Latest check: ${formatNumber(latest.findingCount)} finding${latest.findingCount === 1 ? "" : "s"}` : "Latest check"}
        actions={
          latest ? (
            <span className="muted" title={formatDateTime(latest.startedAt)}>
              {latest.trigger} · {formatRelative(latest.startedAt)} · {formatNumber(latest.playersScanned)} players, {formatNumber(latest.eventsScanned)} ledger rows
            </span>
          ) : null
        }
        state={{
          isPending: report.isPending,
          error: report.error,
          isEmpty: findings.length === 0,
          emptyText: latest ? "No anomalies found: stored state and the ledger agree." : "No check has run yet. It runs on a schedule; support and admins can run it now.",
        }}
      >
        <div className="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>Severity</th>
                <th>Anomaly</th>
                <th>Player</th>
                <th>What was found</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((finding) => (
                <tr key={finding.id}>
                  <td className={`severity-${finding.severity}`}>{finding.severity}</td>
                  <td>{kindLabels[finding.kind] ?? finding.kind.replaceAll("_", " ")}</td>
                  <td>
                    <Link href={`/players/${finding.playerId}`}>{finding.playerName ?? finding.playerId}</Link>
                  </td>
                  <td className="wrap">
                    {finding.message}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
      {purges.length > 0 ? (
        <Panel title={`Purged test players (last 7 days): ${formatNumber(purges.length)}`}>
          <p className="muted">Test players removed with their ledgers on purpose, each audited (player.purge). Their missing ledgers are not findings.</p>
          <div className="table-scroll" tabIndex={0}>
            <table aria-label="Purged test players">
              <thead>
                <tr>
                  <th>Player</th>
                  <th>Test tag</th>
                  <th>Ledger rows removed</th>
                  <th>Purged</th>
                  <th>By</th>
                </tr>
              </thead>
              <tbody>
                {purges.map((purge) => (
                  <tr key={`${purge.playerId}-${purge.purgedAt}`}>
                    <td>{purge.playerName}</td>
                    <td>{purge.testTag}</td>
                    <td>{formatNumber(purge.ledgerRows)}</td>
                    <td title={formatDateTime(purge.purgedAt)}>{formatRelative(purge.purgedAt)}</td>
                    <td>{purge.purgedBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      ) : null}
    </div>
  );
}
