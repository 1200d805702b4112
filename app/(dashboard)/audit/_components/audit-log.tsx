"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { ExportLinks } from "@/app/_components/ui/export-links";
import { Panel } from "@/app/_components/ui/panel";
import { useSession } from "@/app/_components/session-context";
import { useUrlParams } from "@/app/_hooks/use-url-params";
import { useAuditLog } from "@/app/_hooks/queries/staff-logs";
import { formatDateTime, formatShortDateTime } from "@/app/_lib/format";

const actions = ["player.health_correction", "player.respawn", "player.cache_flush"];

const show = (value: unknown) => (typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));

/** "health 100 → 77" when both sides hold the same single field; each side in full otherwise. */
function describeChange(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  if (before && after && keys.length === 1) return `${keys[0]} ${show(before[keys[0]!])} → ${show(after[keys[0]!])}`;
  return `${describe(before)} → ${describe(after)}`;
}

function describe(values: Record<string, unknown> | null): string {
  if (!values) return "—";
  return Object.entries(values)
    .map(([key, value]) => `${key} ${show(value)}`)
    .join(", ");
}

export function AuditLog() {
  const { canSupport } = useSession();
  const [params, setParams] = useUrlParams();
  const actor = params.get("actor") ?? "";
  const action = params.get("action") ?? "";
  const setAction = (value: string) => setParams({ action: value });
  const [actorInput, setActorInput] = useState(actor);
  useEffect(() => {
    const timer = setTimeout(() => actorInput.trim() !== actor && setParams({ actor: actorInput.trim() }), 250);
    return () => clearTimeout(timer);
  }, [actorInput, actor, setParams]);
  const audit = useAuditLog({ actor: actor || undefined, action: action || undefined });
  const items = audit.data?.items ?? [];

  if (!canSupport) {
    return (
      <div className="page">
        <h1>Audit</h1>
        <p className="panel-state">The audit log is for support staff and admins.</p>
      </div>
    );
  }
  return (
    <div className="page">
      <div className="page-header">
        <h1>Audit</h1>
        <div className="filters">
          <label className="field inline">
            Who
            <input value={actorInput} onChange={(event) => setActorInput(event.target.value)} placeholder="username" />
          </label>
          <label className="field inline">
            Action
            <select value={action} onChange={(event) => setAction(event.target.value)}>
              <option value="">all</option>
              {actions.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
          <ExportLinks path="/api/v1/audit/export" filters={{ actor: actor || undefined, action: action || undefined }} what="the audit log" />
        </div>
      </div>
      <Panel title="Staff actions" state={{ isPending: audit.isPending, error: audit.error, isEmpty: items.length === 0, emptyText: "No staff actions match." }}>
        <div className="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
                <th>Player</th>
                <th>Before → after</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr key={entry.id}>
                  <td title={formatDateTime(entry.at)}>{formatShortDateTime(entry.at)}</td>
                  <td>{entry.actor}</td>
                  <td>{entry.action}</td>
                  <td className="truncate narrow" title={entry.playerName ?? entry.playerId ?? undefined}>
                    {entry.playerId ? <Link href={`/players/${entry.playerId}`}>{entry.playerName ?? entry.playerId}</Link> : "—"}
                  </td>
                  <td>
                    {describeChange(entry.before, entry.after)}
                  </td>
                  <td className="wrap">
                    {entry.reason ?? "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}
