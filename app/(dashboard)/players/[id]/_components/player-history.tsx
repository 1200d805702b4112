"use client";

import { useMemo, useState } from "react";
import { Panel } from "@/app/_components/ui/panel";
import { TimelineChart } from "@/app/_components/charts/timeline-chart";
import { ApiError } from "@/app/_lib/api-client";
import { formatDateTime, formatNumber } from "@/app/_lib/format";
import { useCorrectStat, useRestorePreview, useRevertPreview, useStatDefinitions, usePlayerStateAt, useUndo } from "@/app/_hooks/queries/history";
import type { StatDefinitionDto, StatDiff } from "@/app/_hooks/queries/history";
import type { PlayerDto } from "@/app/_hooks/queries/players";
import type { LedgerEvent } from "@/lib/dashboard/chart-data";
import { shapeFieldTimeline } from "@/lib/dashboard/field-timeline-shape";

/** The value of a stat on the player as the API returns it (built-ins are top-level fields). */
function currentValue(player: PlayerDto & { stats?: Record<string, number> }, stat: StatDefinitionDto): number {
  if (stat.key === "health") return player.health;
  if (stat.key === "maxHealth") return player.maxHealth;
  if (stat.key === "experience") return player.experiencePoints;
  if (stat.key === "level") return player.level;
  return player.stats?.[stat.key] ?? stat.default;
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
                <td className="num muted">
                  {stat.min} … {stat.maxStat ?? stat.max}
                </td>
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
      {canSupport && declared.length > 0 ? <CorrectStatForm player={player} stats={declared} /> : null}
    </Panel>
  );
}

/** Support's correction of any declared stat: a value within the bounds, a reason, If-Match on the version shown. */
function CorrectStatForm({ player, stats }: { player: PlayerDto & { stats?: Record<string, number> }; stats: StatDefinitionDto[] }) {
  const [stat, setStat] = useState(stats[0]!.key);
  const [value, setValue] = useState("");
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const correct = useCorrectStat(player.id);
  const definition = stats.find((candidate) => candidate.key === stat) ?? stats[0]!;
  const target = Number(value);
  const valid = value.trim() !== "" && Number.isInteger(target) && reason.trim().length >= 3;
  return (
    <form
      aria-label="Correct a stat"
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid) return;
        correct.mutate(
          { stat, value: target, reason, version: player.version },
          {
            onSuccess: (result) => {
              setMessage(`Corrected: ${result.events.map((row) => `${row.field} ${row.before} → ${row.after}`).join(", ")}.`);
              setValue("");
              setReason("");
            },
            onError: (error) => setMessage(`Not corrected: ${error.message}`),
          },
        );
      }}
    >
      <h3>Correct a stat</h3>
      <label className="field">
        Stat
        <select value={stat} onChange={(event) => setStat(event.target.value)}>
          {stats.map((candidate) => (
            <option key={candidate.key} value={candidate.key}>
              {candidate.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        New value (now {formatNumber(currentValue(player, definition))}; {definition.min} … {definition.maxStat ?? definition.max})
        <input inputMode="numeric" value={value} onChange={(event) => setValue(event.target.value)} />
      </label>
      <label className="field">
        Reason for the stat correction (required, audited)
        <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
      </label>
      <div className="actions">
        <button type="submit" className="button primary" disabled={!valid || correct.isPending}>
          Correct {definition.label.toLowerCase()}
        </button>
      </div>
      {message ? (
        <p className="muted" role="status">
          {message}
        </p>
      ) : null}
    </form>
  );
}

/**
 * "As of": pick a point in the ledger and see every stat as it was right after it; support and
 * admins can restore the player to that point, or revert that one change, after a per-stat preview.
 */
export function AsOfPanel({ playerId, events, canSupport }: { playerId: string; events: LedgerEvent[]; canSupport: boolean }) {
  const changes = useMemo(() => {
    const seen = new Map<string, LedgerEvent>();
    for (const event of events) seen.set(event.changeId, event); // the last row of each change
    return [...seen.values()].sort((a, b) => a.id - b.id);
  }, [events]);
  // null = "now": the control follows the newest change until the user moves it.
  const [index, setIndex] = useState<number | null>(null);
  const current = index === null ? changes.length - 1 : Math.min(index, changes.length - 1);
  const selected = changes[current];
  const state = usePlayerStateAt(playerId, selected?.id ?? null);
  const definitions = useStatDefinitions();
  const labels = new Map((definitions.data?.items ?? []).map((stat) => [stat.key, stat.label]));
  if (changes.length === 0) return null;
  return (
    <Panel title="As of">
      <label className="field">
        <span>
          Moment: {selected ? `${formatDateTime(selected.at)} — ${selected.reason} by ${selected.actor}` : "—"}
        </span>
        <input
          type="range"
          min={0}
          max={changes.length - 1}
          value={current}
          onChange={(event) => setIndex(Number(event.target.value))}
          aria-label="As of (ledger change)"
          aria-valuetext={selected ? `${formatDateTime(selected.at)}, ${selected.reason}` : undefined}
        />
      </label>
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
      {canSupport && selected ? <UndoControls key={selected.id} playerId={playerId} eventId={selected.id} changeId={selected.changeId} labels={labels} /> : null}
    </Panel>
  );
}

function UndoControls({ playerId, eventId, changeId, labels }: { playerId: string; eventId: number; changeId: string; labels: Map<string, string> }) {
  const [mode, setMode] = useState<"restore" | "revert" | null>(null);
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const restore = useRestorePreview(playerId, mode === "restore" ? eventId : null);
  const revert = useRevertPreview(playerId, mode === "revert" ? changeId : null);
  const undo = useUndo(playerId);
  const preview = mode === "restore" ? restore : revert;
  const diff: StatDiff[] = preview.data?.diff ?? [];
  const apply = () => {
    if (!preview.data) return;
    const version = preview.data.version;
    undo.mutate(mode === "restore" ? { kind: "restore", event: eventId, reason, version } : { kind: "revert", changeId, reason, version }, {
      onSuccess: (result) => {
        setMessage(`${mode === "restore" ? "Restored" : "Reverted"}: ${result.events.map((event) => `${event.field} ${event.before} → ${event.after}`).join(", ")}.`);
        setMode(null);
        setReason("");
      },
      onError: (error) => {
        // A stale preview: show the new diff (the preview query is refetched) and ask again.
        if (error instanceof ApiError && error.code === "stale_version") {
          setMessage("The player changed since this preview; here is the new diff. Review it and apply again.");
          void preview.refetch();
        } else setMessage(`Could not apply: ${error.message}`);
      },
    });
  };
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
      {mode ? (
        <form
          aria-label={mode === "restore" ? "Restore preview" : "Revert preview"}
          onSubmit={(event) => {
            event.preventDefault();
            apply();
          }}
          onKeyDown={(event) => {
            if (event.key === "Escape") setMode(null);
          }}
        >
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
            <input value={reason} onChange={(event) => setReason(event.target.value)} minLength={3} maxLength={500} required />
          </label>
          <div className="actions">
            <button type="submit" className="button primary" disabled={!preview.data || diff.length === 0 || reason.trim().length < 3 || undo.isPending}>
              Apply {mode}
            </button>
            <button type="button" className="button secondary" onClick={() => setMode(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {message ? (
        <p className="muted" role="status">
          {message}
        </p>
      ) : null}
    </div>
  );
}
