"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { Panel } from "@/app/_components/ui/panel";
import { HealthBar, StatusBadge } from "@/app/_components/ui/player-status";
import { TimelineChart } from "@/app/_components/charts/timeline-chart";
import { useSession } from "@/app/_components/session-context";
import { useFlushPlayerCache, usePlayer, usePlayerEvents, useRespawn } from "@/app/_hooks/queries/players";
import { usePlayerIntegrityFlags } from "@/app/_hooks/queries/integrity";
import { fieldTimeline, healthAxisTicks, reasonColors, timelineWindow } from "@/lib/dashboard/chart-data";
import type { LedgerEvent } from "@/lib/dashboard/chart-data";
import { formatDateTime, formatNumber, formatRelative } from "@/app/_lib/format";
import { CorrectHealthForm } from "./correct-health-form";

const ranges = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, all: null } as const;
type RangeKey = keyof typeof ranges;
const rangeLabels: Record<RangeKey, string> = { "1h": "1 h", "24h": "24 h", "7d": "7 d", all: "All" };

export function PlayerDetail({ id }: { id: string }) {
  const { healthFloor, canSupport, isAdmin } = useSession();
  const player = usePlayer(id);
  const [range, setRange] = useState<RangeKey>("all");
  // Named ranges keep the query key stable; the timestamp is computed when fetching.
  const since = useMemo(() => (ranges[range] === null ? undefined : new Date(Date.now() - ranges[range]!).toISOString()), [range]);
  const events = usePlayerEvents(id, { since });
  const items = events.data?.items ?? [];
  const timeWindow = useMemo(() => timelineWindow(items, ranges[range], Date.now()), [items, range]);
  const healthPoints = useMemo(() => fieldTimeline(items, "health", timeWindow), [items, timeWindow]);
  const xpPoints = useMemo(() => fieldTimeline(items, "experience", timeWindow), [items, timeWindow]);
  const levelPoints = useMemo(() => fieldTimeline(items, "level", timeWindow), [items, timeWindow]);

  if (player.isPending) return <p className="panel-state">Loading player…</p>;
  if (player.error) {
    return (
      <div className="page">
        <p className="panel-state error" role="alert">
          Could not load this player: {player.error.message}
        </p>
        <Link href="/players">Back to players</Link>
      </div>
    );
  }
  const p = player.data;
  const rangePicker = (
    <div className="segmented" role="radiogroup" aria-label="Timeline range">
      {(Object.keys(ranges) as RangeKey[]).map((key) => (
        <button key={key} type="button" role="radio" aria-checked={range === key} className={range === key ? "selected" : ""} onClick={() => setRange(key)}>
          {rangeLabels[key]}
        </button>
      ))}
    </div>
  );

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <Link href="/players">Players</Link> /
          </p>
          <h1>
            {p.name} <StatusBadge status={p.status} />
          </h1>
        </div>
        <PlayerActions id={id} canSupport={canSupport} isAdmin={isAdmin} dead={p.status === "dead"} />
      </div>
      <dl className="facts">
        <div>
          <dt>Health</dt>
          <dd>
            <HealthBar health={p.health} maxHealth={p.maxHealth} floor={healthFloor} />
          </dd>
        </div>
        <div>
          <dt>XP / level</dt>
          <dd>
            {formatNumber(p.experiencePoints)} / {p.level}
          </dd>
        </div>
        <div>
          <dt>Room</dt>
          <dd>{p.currentRoomId ?? "—"}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{p.version}</dd>
        </div>
        <div>
          <dt>Last active</dt>
          <dd title={formatDateTime(p.lastActiveAt)}>{formatRelative(p.lastActiveAt)}</dd>
        </div>
      </dl>

      <Panel
        title="Health timeline"
        actions={rangePicker}
        state={{ isPending: events.isPending, error: events.error, isEmpty: healthPoints.length === 0, emptyText: "No health changes in this range." }}
      >
        <TimelineChart
          points={healthPoints}
          label="health"
          color="#e6e8eb"
          brush
          yDomain={[Math.min(healthFloor, ...healthPoints.map((point) => point.value)) - 5, Math.max(p.maxHealth, ...healthPoints.map((point) => point.value)) + 5]}
          yTicks={healthAxisTicks(healthFloor, p.maxHealth)}
          referenceLines={[
            { y: p.maxHealth, label: `max ${p.maxHealth}`, color: "#3fb97f" },
            { y: 0, label: "0 · mortally wounded", color: "#e3b341" },
            { y: healthFloor, label: `${healthFloor} · dead`, color: "#f0616d" },
          ]}
        />
        <ul className="legend" aria-label="Marker colours">
          {["damage", "heal", "correction", "respawn", "save"].map((reason) => (
            <li key={reason}>
              <span className="swatch" style={{ background: reasonColors[reason] }} aria-hidden="true" /> {reason}
            </li>
          ))}
        </ul>
      </Panel>

      <div className="grid-2">
        <Panel title="Experience" state={{ isPending: events.isPending, error: events.error, isEmpty: xpPoints.length === 0, emptyText: "No XP changes in this range." }}>
          <TimelineChart points={xpPoints} label="XP" color="#6cb4ee" height={200} />
        </Panel>
        <Panel title="Level" state={{ isPending: events.isPending, error: events.error, isEmpty: levelPoints.length === 0, emptyText: `Level ${p.level}; no level changes in this range.` }}>
          <TimelineChart points={levelPoints} label="level" color="#b48ead" height={200} />
        </Panel>
      </div>

      {canSupport ? (
        <Panel title="Correct health">
          <CorrectHealthForm key={p.id} player={p} floor={healthFloor} />
        </Panel>
      ) : null}

      <IntegrityFlags playerId={id} />

      <LedgerTable events={items} pending={events.isPending} error={events.error} />
    </div>
  );
}

function PlayerActions({ id, canSupport, isAdmin, dead }: { id: string; canSupport: boolean; isAdmin: boolean; dead: boolean }) {
  const respawn = useRespawn(id);
  const flush = useFlushPlayerCache(id);
  const [message, setMessage] = useState<string | null>(null);
  if (!canSupport && !isAdmin) return null;
  return (
    <div className="actions">
      {canSupport ? (
        <button
          type="button"
          className={`button ${dead ? "primary" : "secondary"}`}
          disabled={respawn.isPending}
          onClick={() => {
            if (!window.confirm(dead ? "Respawn this player at full health?" : "This player is alive. Restore them to full health anyway?")) return;
            respawn.mutate("Respawned from the admin console", {
              onSuccess: (result) => setMessage(`Respawned: health ${result.event.before} → ${result.event.after}.`),
              onError: (error) => setMessage(`Respawn failed: ${error.message}`),
            });
          }}
        >
          Respawn
        </button>
      ) : null}
      {isAdmin ? (
        <button
          type="button"
          className="button secondary"
          disabled={flush.isPending}
          onClick={() =>
            flush.mutate(undefined, {
              onSuccess: () => setMessage("Cache entry flushed on every instance."),
              onError: (error) => setMessage(`Flush failed: ${error.message}`),
            })
          }
        >
          Flush cache entry
        </button>
      ) : null}
      {message ? (
        <span className="muted" role="status">
          {message}
        </span>
      ) : null}
    </div>
  );
}

function IntegrityFlags({ playerId }: { playerId: string }) {
  const flags = usePlayerIntegrityFlags(playerId);
  const findings = flags.data?.findings ?? [];
  return (
    <Panel
      title="Integrity flags"
      state={{
        isPending: flags.isPending,
        error: flags.error,
        isEmpty: findings.length === 0,
        emptyText: flags.data?.run ? `No anomalies for this player in the last check (${formatRelative(flags.data.run.startedAt)}).` : "No integrity check has run yet.",
      }}
    >
      <ul className="findings">
        {findings.map((finding) => (
          <li key={finding.id} className={`severity-${finding.severity}`}>
            <strong>{finding.kind.replaceAll("_", " ")}</strong>: {finding.message}
          </li>
        ))}
      </ul>
    </Panel>
  );
}

function LedgerTable({ events, pending, error }: { events: LedgerEvent[]; pending: boolean; error: Error | null }) {
  const [field, setField] = useState("");
  const [reason, setReason] = useState("");
  const rows = events.filter((event) => (!field || event.field === field) && (!reason || event.reason === reason)).slice().reverse();
  return (
    <Panel
      title="Ledger"
      actions={
        <div className="filters">
          <label className="field inline">
            Field
            <select value={field} onChange={(event) => setField(event.target.value)}>
              <option value="">all</option>
              <option value="health">health</option>
              <option value="experience">experience</option>
              <option value="level">level</option>
            </select>
          </label>
          <label className="field inline">
            Reason
            <select value={reason} onChange={(event) => setReason(event.target.value)}>
              <option value="">all</option>
              {["damage", "heal", "experience", "correction", "respawn", "save"].map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        </div>
      }
      state={{ isPending: pending, error, isEmpty: rows.length === 0, emptyText: "No ledger rows match." }}
    >
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>Field</th>
              <th className="num">Before → after</th>
              <th className="num">Delta</th>
              <th>Reason</th>
              <th>Actor</th>
              <th>Detail</th>
              <th>Request</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((event) => (
              <tr key={event.id}>
                <td>{formatDateTime(event.at)}</td>
                <td>{event.field}</td>
                <td className="num">
                  {event.before} → {event.after}
                </td>
                <td className={`num ${event.delta < 0 ? "neg" : event.delta > 0 ? "pos" : ""}`}>{event.delta > 0 ? `+${event.delta}` : event.delta}</td>
                <td>
                  <span className="reason" style={{ borderColor: reasonColors[event.reason] }}>
                    {event.reason}
                  </span>
                </td>
                <td>{event.actor}</td>
                <td className="truncate" title={event.detail ? JSON.stringify(event.detail) : undefined}>
                  {describeDetail(event.detail)}
                </td>
                <td className="truncate muted" title={event.requestId ?? undefined}>
                  {event.requestId ?? "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function describeDetail(detail: Record<string, unknown> | null): string {
  if (!detail) return "—";
  return Object.entries(detail)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}
