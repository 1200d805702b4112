"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { MarkerSwatch } from "@/app/_components/charts/marker-shape";
import { ExportLinks } from "@/app/_components/ui/export-links";
import { TimeRangePicker } from "@/app/_components/ui/time-range-picker";
import { useTimeRangeParam, useUrlParams } from "@/app/_hooks/use-url-params";
import { Panel } from "@/app/_components/ui/panel";
import { HealthBar, StatusBadge } from "@/app/_components/ui/player-status";
import { TimelineChart } from "@/app/_components/charts/timeline-chart";
import { useSession } from "@/app/_components/session-context";
import { LEDGER_PAGE_SIZE, useFlushPlayerCache, usePlayer, usePlayerLedger, usePlayerTimeline, useRespawn } from "@/app/_hooks/queries/players";
import type { TimelineRange } from "@/app/_hooks/queries/players";
import { usePlayerIntegrityFlags } from "@/app/_hooks/queries/integrity";
import { healthAxisTicks, reasonColors } from "@/lib/dashboard/chart-data";
import { formatDateTime, formatNumber, formatRelative } from "@/app/_lib/format";
import { SaveAttemptsTable } from "@/app/_components/save-attempts-table";
import { CorrectHealthForm } from "./correct-health-form";
import { AsOfPanel, StatsPanel, UndoForm } from "./player-history";
import type { LedgerEvent } from "@/lib/dashboard/chart-data";
import { useStatDefinitions } from "@/app/_hooks/queries/history";

const ranges: Record<TimelineRange, number | null> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, all: null };
const rangeLabels: Record<TimelineRange, string> = { "1h": "1 h", "24h": "24 h", "7d": "7 d", all: "All" };
const presets = (Object.keys(ranges) as TimelineRange[]).map((key) => ({ key, label: rangeLabels[key], ms: ranges[key] ?? 30 * 86_400_000 }));

export function PlayerDetail({ id }: { id: string }) {
  const { healthFloor, canSupport, isAdmin } = useSession();
  const player = usePlayer(id);
  // The range lives in the URL (a preset, or a custom window from the picker or a drag-to-zoom).
  const [timeRange, setTimeRange] = useTimeRangeParam(Object.keys(ranges) as TimelineRange[], "all");
  const customFrom = timeRange.kind === "custom" ? timeRange.from : null;
  const customTo = timeRange.kind === "custom" ? timeRange.to : null;
  const presetKey = timeRange.kind === "preset" ? timeRange.key : "all";
  // Named ranges keep the query key stable (the server takes "now"); a custom window is fixed.
  const timelineRange = useMemo(
    () => (customFrom !== null && customTo !== null ? { from: customFrom, to: customTo } : presetKey),
    [customFrom, customTo, presetKey],
  );
  // Shaped on the server: downsampled lines (minima and maxima kept) and clustered markers.
  const health = usePlayerTimeline(id, "health", timelineRange);
  const xp = usePlayerTimeline(id, "experience", timelineRange);
  const level = usePlayerTimeline(id, "level", timelineRange);
  const healthPoints = health.data?.points ?? [];
  const xpPoints = xp.data?.points ?? [];
  const levelPoints = level.data?.points ?? [];
  // Every chart spans the window the server answered for (the health timeline's: it reads every field).
  const served = health.data?.range ?? xp.data?.range ?? level.data?.range;
  const timeWindow = useMemo(
    () =>
      typeof timelineRange !== "string"
        ? { since: timelineRange.from, until: timelineRange.to }
        : served
          ? { since: Date.parse(served.since), until: Date.parse(served.until) }
          : { since: Date.now() - (ranges[timelineRange] ?? 3_600_000), until: Date.now() },
    [timelineRange, served],
  );
  const chartRange = { from: timeWindow.since, to: timeWindow.until };
  const zoomTo = (zoomed: { from: number; to: number }) => setTimeRange({ kind: "custom", ...zoomed });
  // The newest ledger page (shared with the ledger table's first page): the stats and "as of" panels.
  const ledger = usePlayerLedger(id, {}, undefined);
  const items = ledger.data?.items ?? [];

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
  const rangePicker = <TimeRangePicker label="Timeline range" presets={presets} range={timeRange} onChange={setTimeRange} />;

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

      {canSupport ? (
        <Panel title="Correct health">
          <CorrectHealthForm key={p.id} player={p} floor={healthFloor} />
        </Panel>
      ) : null}

      <Panel
        title="Health timeline"
        actions={rangePicker}
        state={{ isPending: health.isPending, error: health.error, isEmpty: healthPoints.length === 0, emptyText: "No health changes in this range." }}
      >
        {health.data?.truncated ? (
          <p className="muted chart-note">This range holds more changes than one chart reads; it starts at {formatDateTime(health.data.range.since)}. The ledger below has them all.</p>
        ) : null}
        <TimelineChart
          points={healthPoints}
          field="health"
          label="health"
          color="var(--text)"
          range={chartRange}
          onZoom={zoomTo}
          yDomain={[Math.min(healthFloor, ...healthPoints.map((point) => point.value)) - 5, Math.max(p.maxHealth, ...healthPoints.map((point) => point.value)) + 5]}
          yTicks={healthAxisTicks(healthFloor, p.maxHealth)}
          referenceLines={[
            { y: p.maxHealth, label: `max ${p.maxHealth}`, color: "var(--ok)" },
            { y: 0, label: "0 · mortally wounded", color: "var(--warn)" },
            { y: healthFloor, label: `${healthFloor} · dead`, color: "var(--bad)" },
          ]}
        />
        <ul className="legend" aria-label="Markers">
          {[
            ["damage", "damage"],
            ["heal", "heal"],
            ["correction", "correction, restore, revert"],
            ["respawn", "respawn"],
            ["save", "save"],
          ].map(([reason, label]) => (
            <li key={reason}>
              <MarkerSwatch reason={reason!} color={reasonColors[reason!]!} /> {label}
            </li>
          ))}
          <li>
            <span className="swatch square other-field" style={{ borderColor: reasonColors.experience }} aria-hidden="true" /> other field (XP, level, stats)
          </li>
          <li>
            <span className="swatch cluster" aria-hidden="true">n</span> n changes close together
          </li>
        </ul>
      </Panel>

      <div className="grid-2">
        <Panel title="Experience" state={{ isPending: xp.isPending, error: xp.error, isEmpty: !xpPoints.some((point) => point.marker), emptyText: "No XP changes in this range." }}>
          <TimelineChart points={xpPoints} field="experience" label="XP" color="var(--series-1)" height={200} range={chartRange} onZoom={zoomTo} />
        </Panel>
        <Panel title="Level" state={{ isPending: level.isPending, error: level.error, isEmpty: !levelPoints.some((point) => point.marker), emptyText: `Level ${p.level}; no level changes in this range.` }}>
          <TimelineChart points={levelPoints} field="level" label="level" color="var(--series-3)" height={200} range={chartRange} onZoom={zoomTo} />
        </Panel>
      </div>

      <StatsPanel player={p} events={items} range={timeWindow} canSupport={canSupport} />

      <AsOfPanel playerId={id} newestEventId={items[0]?.id ?? null} canSupport={canSupport} />

      <SaveAttemptsTable filter={{ playerId: id }} title="Whole saves" />

      <IntegrityFlags playerId={id} />

      <LedgerTable playerId={id} canSupport={canSupport} />
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

/**
 * The ledger newest first, a page at a time: "Older" follows the page's nextCursor, so any number
 * of rows can be reached. The field filter runs on the server; the reason filter on the page shown.
 * Both filters live in the URL; the page cursor does not.
 */
function LedgerTable({ playerId, canSupport }: { playerId: string; canSupport: boolean }) {
  const stats = useStatDefinitions();
  const [params, setParams] = useUrlParams();
  const field = params.get("field") ?? "";
  const reason = params.get("reason") ?? "";
  const setReason = (value: string) => setParams({ reason: value });
  // The cursors of the pages visited, so "Newer" goes back; the first page has none.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const setField = (value: string) => {
    setParams({ field: value });
    setCursors([undefined]);
  };
  const cursor = cursors[cursors.length - 1];
  const ledger = usePlayerLedger(playerId, { field: field || undefined }, cursor);
  const page = ledger.data?.items ?? [];
  const rows = page.filter((event) => !reason || event.reason === reason);
  const nextCursor = ledger.data?.nextCursor ?? null;
  const pageNumber = cursors.length;
  const [reverting, setReverting] = useState<LedgerEvent | null>(null);
  const definitions = new Map((stats.data?.items ?? []).map((stat) => [stat.key, stat.label]));
  const showStateAt = (eventId: number) => {
    setParams({ event: String(eventId), at: null });
    document.getElementById("as-of")?.scrollIntoView({ block: "start" });
  };
  return (
    <Panel
      title="Ledger"
      actions={
        <div className="filters">
          <label className="field inline">
            Field
            <select value={field} onChange={(event) => setField(event.target.value)}>
              <option value="">all</option>
              {[...(stats.data?.items ?? []).map((stat) => stat.key), "name", "room", "profession", "version"].map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
          <label className="field inline">
            Reason
            <select value={reason} onChange={(event) => setReason(event.target.value)}>
              <option value="">all</option>
              {Object.keys(reasonColors).map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
          <ExportLinks path={`/api/v1/players/${encodeURIComponent(playerId)}/events/export`} filters={{ field: field || undefined, order: "desc" }} what="the ledger" />
        </div>
      }
      state={{ isPending: ledger.isPending, error: ledger.error, isEmpty: rows.length === 0 && pageNumber === 1, emptyText: "No ledger rows match." }}
    >
      <div className="table-scroll" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Field</th>
              <th className="num">Before → after</th>
              <th className="num">Delta</th>
              <th>Reason</th>
              <th>Actor</th>
              <th>Detail</th>
              <th>Request</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((event) => (
              <tr key={event.id} data-event-id={event.id}>
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
                <td className="row-actions">
                  <button type="button" className="button secondary small" onClick={() => showStateAt(event.id)} aria-label={`Show state here: event #${event.id}`}>
                    Show state here
                  </button>
                  {canSupport ? (
                    <button type="button" className="button secondary small" onClick={() => setReverting(event)} aria-label={`Revert this change… event #${event.id}`}>
                      Revert this change…
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {reverting ? <RevertDialog playerId={playerId} event={reverting} labels={definitions} onClose={() => setReverting(null)} /> : null}
      <nav className="pager" aria-label="Ledger pages">
        <button type="button" className="button secondary" disabled={pageNumber === 1} onClick={() => setCursors([undefined])}>
          Newest
        </button>
        <button type="button" className="button secondary" disabled={pageNumber === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          ← Newer
        </button>
        <span className="muted" role="status">
          Page {pageNumber} · {LEDGER_PAGE_SIZE} rows per page{rows.length !== page.length ? ` · ${rows.length} of ${page.length} match the reason` : ""}
        </span>
        <button type="button" className="button secondary" disabled={nextCursor === null || ledger.isPlaceholderData} onClick={() => nextCursor && setCursors([...cursors, nextCursor])}>
          Older →
        </button>
      </nav>
    </Panel>
  );
}

/**
 * "Revert this change…" from a ledger row, on whatever page it sits: a modal dialog (focus moves
 * in, Escape closes, focus returns to the row's button) around the same preview as "As of".
 */
function RevertDialog({ playerId, event, labels, onClose }: { playerId: string; event: LedgerEvent; labels: Map<string, string>; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.showModal();
    return () => opener?.focus();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-label="Revert this change" onClose={onClose}>
      {done ? (
        <>
          <p role="status">{done}</p>
          <div className="actions">
            <button type="button" className="button primary" autoFocus onClick={() => ref.current?.close()}>
              Close
            </button>
          </div>
        </>
      ) : (
        <UndoForm mode="revert" playerId={playerId} event={event} labels={labels} onDone={setDone} onCancel={() => ref.current?.close()} />
      )}
    </dialog>
  );
}

function describeDetail(detail: Record<string, unknown> | null): string {
  if (!detail) return "—";
  return Object.entries(detail)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}
