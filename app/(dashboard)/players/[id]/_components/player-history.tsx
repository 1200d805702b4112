"use client";

import { useState } from "react";
import { Panel } from "@/app/_components/ui/panel";
import { TimelineChart } from "@/app/_components/charts/timeline-chart";
import { ApiError } from "@/app/_lib/api-client";
import { formatDateTime, formatNumber } from "@/app/_lib/format";
import { useCorrectStat, useLedgerStep, useRestorePreview, useRevertPreview, useStatDefinitions, usePlayerStateAt, useUndo } from "@/app/_hooks/queries/history";
import type { Moment } from "@/app/_hooks/queries/history";
import { useUrlParams } from "@/app/_hooks/use-url-params";
import type { StatDefinitionDto, StatDiff } from "@/app/_hooks/queries/history";
import type { PlayerDto } from "@/app/_hooks/queries/players";
import type { LedgerEvent } from "@/lib/dashboard/chart-data";
import { shapeFieldTimeline } from "@/lib/dashboard/field-timeline-shape";
import { statBoundsText } from "@/lib/dashboard/correction-preview";
import { CorrectStatForm } from "./correct-stat-form";

/** The value of a stat on the player as the API returns it (built-ins are top-level fields). */
function currentValue(player: PlayerDto & { stats?: Record<string, number> }, stat: StatDefinitionDto): number {
  if (stat.key === "health") return player.health;
  if (stat.key === "maxHealth") return player.maxHealth;
  if (stat.key === "experience") return player.experiencePoints;
  if (stat.key === "level") return player.level;
  return player.stats?.[stat.key] ?? stat.default;
}

/** A stat's bounds as numbers; a bound set by another stat names it ("0 … 120 (Max mana)"). */
function boundsOf(stat: StatDefinitionDto, stats: StatDefinitionDto[], player: PlayerDto & { stats?: Record<string, number> }) {
  if (!stat.maxStat) return { min: stat.min, max: stat.max ?? 0, maxLabel: null };
  const bound = stats.find((candidate) => candidate.key === stat.maxStat);
  const max = bound ? currentValue(player, bound) : stat.maxStat === "maxHealth" ? player.maxHealth : 0;
  return { min: stat.min, max, maxLabel: bound?.label ?? (stat.maxStat === "maxHealth" ? "Max health" : stat.maxStat) };
}

/** Every declared stat (beyond the built-in charts above) with its value, bounds and own timeline. */
export function StatsPanel({
  player,
  events,
  range,
  canSupport = false,
}: {
  player: PlayerDto & { stats?: Record<string, number> };
  events: LedgerEvent[];
  range: { since: number; until: number };
  canSupport?: boolean;
}) {
  const definitions = useStatDefinitions();
  const declared = (definitions.data?.items ?? []).filter((stat) => !stat.builtin);
  const changed = declared.filter((stat) => events.some((event) => event.field === stat.key));
  return (
    <Panel title="Stats" state={{ isPending: definitions.isPending, error: definitions.error, isEmpty: declared.length === 0, emptyText: "No stats declared beyond health and XP." }}>
      <div className="table-scroll" tabIndex={0}>
        <table>
          <caption className="sr-only">Declared stats</caption>
          <thead>
            <tr>
              <th>Stat</th>
              <th className="num">Now</th>
              <th className="num">Bounds</th>
            </tr>
          </thead>
          <tbody>
            {declared.map((stat) => (
              <tr key={stat.key}>
                <td>{stat.label}</td>
                <td className="num">{formatNumber(currentValue(player, stat))}</td>
                <td className="num muted">{statBoundsText(boundsOf(stat, declared, player))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {changed.length > 0 ? (
        <div className="stat-timelines">
          {changed.map((stat) => (
            <section key={stat.key} aria-label={`${stat.label} timeline`}>
              <h3>{stat.label}</h3>
              <TimelineChart
                points={shapeFieldTimeline(
                  events.filter((event) => event.field === stat.key).sort((a, b) => a.id - b.id),
                  { field: stat.key, ...range, currentValue: currentValue(player, stat) },
                )}
                field={stat.key}
                label={stat.label}
                color="var(--series-2)"
                height={140}
                range={{ from: range.since, to: range.until }}
              />
            </section>
          ))}
        </div>
      ) : null}
      {canSupport && declared.length > 0 ? <CorrectStatForm player={player} stats={declared} valueOf={(stat) => currentValue(player, stat)} /> : null}
    </Panel>
  );
}

/** "health 100 → 70 (damage by npc:shoggoth, 25 Nov 2026, 13:45:02 UTC)": names a change wherever it is offered for undoing. */
export function describeLedgerChange(event: Pick<LedgerEvent, "field" | "before" | "after" | "reason" | "actor" | "at">): string {
  return `${event.field} ${formatNumber(event.before)} → ${formatNumber(event.after)} (${event.reason} by ${event.actor}, ${formatDateTime(event.at)})`;
}

/** `datetime-local` speaks local wall time; the URL and the API speak ISO instants. */
const localInput = (iso: string | null) => {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19) : "";
};

/**
 * "As of": any moment of the retained history, reached by event id, by time, or by stepping one
 * change at a time (the URL holds it: `?event=` or `?at=`, so the activity feed and the ledger rows
 * can link here). Support and admins can restore to it, or revert its change, after a preview.
 */
export function AsOfPanel({ playerId, newestEventId, canSupport }: { playerId: string; newestEventId: number | null; canSupport: boolean }) {
  const [params, setParams] = useUrlParams();
  const eventParam = Number(params.get("event"));
  const atParam = params.get("at");
  const moment: Moment | null = Number.isInteger(eventParam) && eventParam > 0 ? { event: eventParam } : atParam ? { at: atParam } : newestEventId !== null ? { event: newestEventId } : null;
  const state = usePlayerStateAt(playerId, moment);
  const selectedId = state.data?.eventId ?? null;
  const selected = useLedgerStep(playerId, selectedId, "at").data ?? null;
  const earlier = useLedgerStep(playerId, selectedId, "earlier").data ?? null;
  const later = useLedgerStep(playerId, selectedId, "later").data ?? null;
  const definitions = useStatDefinitions();
  const labels = new Map((definitions.data?.items ?? []).map((stat) => [stat.key, stat.label]));
  const [eventInput, setEventInput] = useState("");
  const [timeInput, setTimeInput] = useState("");
  if (newestEventId === null) return null;
  const go = (next: Moment | null) => setParams(next === null ? { event: null, at: null } : "event" in next ? { event: String(next.event), at: null } : { at: next.at, event: null });
  return (
    <Panel title="As of" id="as-of">
      <form
        aria-label="Go to a moment"
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const id = Number(eventInput);
          if (eventInput.trim() && Number.isInteger(id) && id > 0) go({ event: id });
          else if (timeInput && Number.isFinite(Date.parse(timeInput))) go({ at: new Date(timeInput).toISOString() });
        }}
      >
        <label className="field inline">
          Event id
          <input type="number" min={1} inputMode="numeric" className="narrow-input" value={eventInput} onChange={(event) => (setEventInput(event.target.value), setTimeInput(""))} />
        </label>
        <label className="field inline">
          or time
          <input type="datetime-local" step={1} value={timeInput || localInput(atParam)} onChange={(event) => (setTimeInput(event.target.value), setEventInput(""))} />
        </label>
        <button type="submit" className="button secondary">
          Show
        </button>
      </form>
      <nav className="pager" aria-label="Step through the ledger">
        <button type="button" className="button secondary" disabled={!earlier} onClick={() => earlier && go({ event: earlier.id })}>
          ← Earlier change
        </button>
        <button type="button" className="button secondary" disabled={!later} onClick={() => later && go({ event: later.id })}>
          Later change →
        </button>
        <button type="button" className="button secondary" disabled={moment !== null && "event" in moment && moment.event === newestEventId} onClick={() => go(null)}>
          Now
        </button>
      </nav>
      <p role="status" className="as-of-moment">
        {state.error ? (
          <span className="error">{state.error.message}</span>
        ) : selected ? (
          <>
            Right after event #{selected.id}: {describeLedgerChange(selected)}
          </>
        ) : state.isPending ? (
          "Loading…"
        ) : (
          "Before the player's first change."
        )}
      </p>
      {state.data ? (
        <dl className="facts" aria-label="State as of the selected moment">
          {Object.entries(state.data.stats).map(([stat, value]) => (
            <div key={stat}>
              <dt>{labels.get(stat) ?? stat}</dt>
              <dd>{formatNumber(value)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {canSupport && selected ? <UndoControls key={selected.id} playerId={playerId} event={selected} labels={labels} /> : null}
    </Panel>
  );
}

function UndoControls({ playerId, event, labels }: { playerId: string; event: LedgerEvent; labels: Map<string, string> }) {
  const [mode, setMode] = useState<"restore" | "revert" | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="undo">
      <div className="actions">
        <button type="button" className="button secondary" onClick={() => (setMode("restore"), setMessage(null))}>
          Preview restore to this moment
        </button>
        <button type="button" className="button secondary" onClick={() => (setMode("revert"), setMessage(null))}>
          Preview revert of this change
        </button>
      </div>
      {mode ? <UndoForm key={mode} mode={mode} playerId={playerId} event={event} labels={labels} onDone={(text) => (setMessage(text), text && setMode(null))} onCancel={() => setMode(null)} /> : null}
      {message ? (
        <p className="muted" role="status">
          {message}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The preview of a restore or a revert (per stat, now → after), a reason, and the apply, which
 * carries the preview's version (a stale preview is refetched and shown again). The revert names
 * the change it undoes.
 */
export function UndoForm({
  mode,
  playerId,
  event,
  labels,
  onDone,
  onCancel,
}: {
  mode: "restore" | "revert";
  playerId: string;
  event: LedgerEvent;
  labels: Map<string, string>;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const restore = useRestorePreview(playerId, mode === "restore" ? event.id : null);
  const revert = useRevertPreview(playerId, mode === "revert" ? event.changeId : null);
  const undo = useUndo(playerId);
  const preview = mode === "restore" ? restore : revert;
  const diff: StatDiff[] = preview.data?.diff ?? [];
  const apply = () => {
    if (!preview.data) return;
    const version = preview.data.version;
    undo.mutate(mode === "restore" ? { kind: "restore", event: event.id, reason, version } : { kind: "revert", changeId: event.changeId, reason, version }, {
      onSuccess: (result) => onDone(`${mode === "restore" ? "Restored" : "Reverted"}: ${result.events.map((row) => `${row.field} ${row.before} → ${row.after}`).join(", ")}.`),
      onError: (error) => {
        // A stale preview: show the new diff (the preview query is refetched) and ask again.
        if (error instanceof ApiError && error.code === "stale_version") {
          setProblem("The player changed since this preview; here is the new diff. Review it and apply again.");
          void preview.refetch();
        } else setProblem(`Could not apply: ${error.message}`);
      },
    });
  };
  const title = mode === "restore" ? `Restore to right after event #${event.id}` : `Revert of ${describeLedgerChange(event)}`;
  return (
    <form
      aria-label={mode === "restore" ? "Restore preview" : "Revert preview"}
      onSubmit={(submit) => {
        submit.preventDefault();
        apply();
      }}
      onKeyDown={(key) => {
        if (key.key === "Escape") onCancel();
      }}
    >
      <p className="undo-title">{title}</p>
      {preview.isPending ? <p className="panel-state">Computing the diff…</p> : null}
      {preview.error ? (
        <p className="panel-state error" role="alert">
          {preview.error.message}
        </p>
      ) : null}
      {preview.data ? (
        diff.length === 0 ? (
          <p className="panel-state">Nothing would change.</p>
        ) : (
          <table>
            <caption>{mode === "restore" ? "Restore: each stat now → after" : "Revert: each stat now → after"}</caption>
            <thead>
              <tr>
                <th>Stat</th>
                <th className="num">Now</th>
                <th className="num">After</th>
              </tr>
            </thead>
            <tbody>
              {diff.map((change) => (
                <tr key={change.stat}>
                  <td>{labels.get(change.stat) ?? change.stat}</td>
                  <td className="num">{formatNumber(change.now)}</td>
                  <td className="num">{formatNumber(change.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      <label className="field">
        Reason (required, audited)
        <input value={reason} onChange={(change) => setReason(change.target.value)} minLength={3} maxLength={500} required autoFocus />
      </label>
      <div className="actions">
        <button type="submit" className="button primary" disabled={!preview.data || diff.length === 0 || reason.trim().length < 3 || undo.isPending}>
          Apply {mode}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {problem ? (
        <p className="panel-state error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
