"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { ExportLinks } from "@/app/_components/ui/export-links";
import { Panel } from "@/app/_components/ui/panel";
import { useSession } from "@/app/_components/session-context";
import { useUrlParams } from "@/app/_hooks/use-url-params";
import { useAuditLog } from "@/app/_hooks/queries/staff-logs";
import { formatDateTime, formatShortDateTime } from "@/app/_lib/format";
import { auditActions } from "@/lib/audit/audit-actions";


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

/** A text filter that lands in the URL a moment after typing stops (one request, not one per key). */
function useDebouncedParam(name: string) {
  const [params, setParams] = useUrlParams();
  const value = params.get(name) ?? "";
  const [input, setInput] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => input.trim() !== value && setParams({ [name]: input.trim() }), 250);
    return () => clearTimeout(timer);
  }, [input, value, name, setParams]);
  return [value, input, setInput] as const;
}

/** `datetime-local` speaks local wall time; the URL and the API speak ISO instants. */
const toIso = (local: string) => (local && Number.isFinite(Date.parse(local)) ? new Date(local).toISOString() : "");
const toLocalInput = (iso: string) => {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return "";
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
};

export function AuditLog() {
  const { canSupport } = useSession();
  const [params, setParams] = useUrlParams();
  const [actor, actorInput, setActorInput] = useDebouncedParam("actor");
  const [player, playerInput, setPlayerInput] = useDebouncedParam("player");
  const action = params.get("action") ?? "";
  const since = params.get("since") ?? "";
  const until = params.get("until") ?? "";
  const filters = { actor: actor || undefined, action: action || undefined, player: player || undefined, since: since || undefined, until: until || undefined };
  const audit = useAuditLog(filters);
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
            Player
            <input value={playerInput} onChange={(event) => setPlayerInput(event.target.value)} placeholder="name or id" />
          </label>
          {/* Labelled by id, not by wrapping: a wrapping label's name would swallow every option's text. */}
          <div className="field inline">
            <label htmlFor="audit-action">Action</label>
            <select id="audit-action" value={action} onChange={(event) => setParams({ action: event.target.value })}>
              <option value="">all</option>
              {auditActions.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </div>
          <label className="field inline">
            Since
            <input type="datetime-local" value={toLocalInput(since)} onChange={(event) => setParams({ since: toIso(event.target.value) })} />
          </label>
          <label className="field inline">
            Until
            <input type="datetime-local" value={toLocalInput(until)} onChange={(event) => setParams({ until: toIso(event.target.value) })} />
          </label>
          <ExportLinks path="/api/v1/audit/export" filters={filters} what="the audit log" />
        </div>
      </div>
      <Panel title="Staff actions" state={{ isPending: audit.isPending, error: audit.error, isEmpty: items.length === 0, emptyText: "No staff actions match." }}>
        {/* Fixed layout with wrapping cells: a long stats.declare value wraps instead of pushing Reason off screen. */}
        <table className="audit-table cards-on-phone" aria-label="Staff actions">
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
                <td data-label="When">
                  <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                    {formatShortDateTime(entry.at)}
                  </time>
                </td>
                <td data-label="Who">{entry.actor}</td>
                <td data-label="What">{entry.action}</td>
                <td data-label="Player">
                  {entry.playerId ? <Link href={`/players/${entry.playerId}`}>{entry.playerName ?? entry.playerId}</Link> : "—"}
                </td>
                <td data-label="Before → after">{describeChange(entry.before, entry.after)}</td>
                <td data-label="Reason">{entry.reason ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
