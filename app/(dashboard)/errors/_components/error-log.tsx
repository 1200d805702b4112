"use client";

import Link from "next/link";
import { Fragment, useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import { axisTick, useDragZoom, useTimeAxis } from "@/app/_components/charts/time-axis";
import { ExportLinks } from "@/app/_components/ui/export-links";
import { Panel } from "@/app/_components/ui/panel";
import { TimeRangePicker } from "@/app/_components/ui/time-range-picker";
import { useTimeRangeParam, useUrlParams } from "@/app/_hooks/use-url-params";
import { useErrorHistogram } from "@/app/_hooks/queries/error-histogram";
import { errorWindowKeys, errorWindows, useErrorLog } from "@/app/_hooks/queries/staff-logs";
import { rangePresets } from "@/lib/dashboard/range-presets";
import type { ErrorWindow } from "@/app/_hooks/queries/staff-logs";
import { formatDateTime } from "@/app/_lib/format";
import { bucketWidthLabel } from "@/lib/dashboard/chart-data";

const sinceOptions = errorWindows;
type SinceKey = ErrorWindow;
const presets = rangePresets(errorWindowKeys);

export function ErrorLog() {
  const [params, setParams] = useUrlParams();
  const level = params.get("level") ?? "";
  const module = params.get("module") ?? "";
  // An entry's request id links here (?requestId=…): every entry that request logged.
  const requestId = params.get("requestId") || undefined;
  const setLevel = (value: string) => setParams({ level: value });
  const setModule = (value: string) => setParams({ module: value });
  // The overview's "Errors, last hour" tile links here with ?range=1h.
  const [timeRange, setTimeRange] = useTimeRangeParam(Object.keys(sinceOptions) as SinceKey[], "24h");
  const sinceKey = timeRange.kind === "preset" ? timeRange.key : null;
  const customFrom = timeRange.kind === "custom" ? timeRange.from : null;
  const customTo = timeRange.kind === "custom" ? timeRange.to : null;
  const [expanded, setExpanded] = useState<number | null>(null);
  const custom = useMemo(
    () => (customFrom !== null && customTo !== null ? { since: new Date(customFrom).toISOString(), until: new Date(customTo).toISOString() } : null),
    [customFrom, customTo],
  );
  // A named window keeps moving (its start is taken at each fetch); a custom range is fixed.
  const log = useErrorLog({ level: level || undefined, module: module || undefined, requestId, ...(custom ?? { window: sinceKey ?? "24h" }) });
  // For the download link: taken at each render (the list refreshes), so it follows the window.
  const exportWindow = custom ?? { since: new Date(Date.now() - sinceOptions[sinceKey ?? "24h"]).toISOString(), until: undefined };
  const histogram = useErrorHistogram(customFrom !== null && customTo !== null ? { from: customFrom, to: customTo } : (sinceKey ?? "24h"), {
    level: level || undefined,
    module: module || undefined,
  });
  const items = log.data?.items ?? [];
  const chartRows = histogram.data?.rows ?? [];
  const chartRange = histogram.data ? { from: chartRows[0]?.t ?? 0, to: (chartRows[chartRows.length - 1]?.t ?? 0) + histogram.data.stepSeconds * 1000 } : { from: 0, to: 1 };
  const { xAxis, onResize } = useTimeAxis(chartRange.from, chartRange.to);
  const zoom = useDragZoom((zoomed) => setTimeRange({ kind: "custom", ...zoomed }));

  return (
    <div className="page">
      <div className="page-header">
        <h1>Errors</h1>
        <div className="filters">
          <label className="field inline">
            Level
            <select value={level} onChange={(event) => setLevel(event.target.value)}>
              <option value="">all</option>
              <option value="error">error</option>
              <option value="fatal">fatal</option>
            </select>
          </label>
          <label className="field inline">
            Module
            <select value={module} onChange={(event) => setModule(event.target.value)}>
              <option value="">all</option>
              {(log.data?.modules ?? []).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <TimeRangePicker label="Time range" presets={presets} range={timeRange} onChange={setTimeRange} />
          <ExportLinks path="/api/v1/errors/export" filters={{ level: level || undefined, module: module || undefined, requestId, ...exportWindow }} what="the error log" />
        </div>
      </div>
      <Panel
        title={`Errors per ${bucketWidthLabel(histogram.data?.stepSeconds ?? 60)}`}
        state={{ isPending: histogram.isPending, error: histogram.error, isEmpty: !chartRows.some((row) => row.error + row.fatal > 0), emptyText: "No errors in this range." }}
      >
        <ResponsiveContainer width="100%" height={200} onResize={onResize}>
          <BarChart data={chartRows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} title="Error-log entries over time, by level" {...zoom.handlers}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            {xAxis}
            <YAxis allowDecimals={false} tick={axisTick} width={40} />
            <Tooltip contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }} labelFormatter={(value) => formatDateTime(Number(value))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="error" stackId="level" fill="var(--bad)" isAnimationActive={false} />
            <Bar dataKey="fatal" stackId="level" fill="var(--fatal)" isAnimationActive={false} />
            {zoom.selection}
          </BarChart>
        </ResponsiveContainer>
      </Panel>
      <Panel
        title="Error log"
        actions={
          requestId ? (
            <span className="muted">
              Request {requestId} · <Link href={showAllHref(params)}>show all</Link>
            </span>
          ) : undefined
        }
        state={{ isPending: log.isPending, error: log.error, isEmpty: items.length === 0, emptyText: "No errors match. Quiet is good." }}
      >
        <div className="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>Time</th>
                <th>Level</th>
                <th>Module</th>
                <th>Message</th>
                <th>Player</th>
                <th>Request</th>
                <th>
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <Fragment key={entry.id}>
                  <tr>
                    <td>{formatDateTime(entry.at)}</td>
                    <td>
                      <span className={`badge level-${entry.level}`}>{entry.level}</span>
                    </td>
                    <td>{entry.module}</td>
                    <td className="truncate" title={entry.message}>
                      {entry.message}
                    </td>
                    <td>{playerOf(entry.context) ? <Link href={`/players/${encodeURIComponent(playerOf(entry.context)!)}`}>{playerOf(entry.context)!.slice(0, 8)}</Link> : "—"}</td>
                    <td className="truncate muted" title={entry.requestId ?? undefined}>
                      {entry.requestId ? <Link href={`/errors?requestId=${encodeURIComponent(entry.requestId)}&range=7d`}>{entry.requestId}</Link> : "—"}
                    </td>
                    <td>
                      <button type="button" className="button secondary" aria-expanded={expanded === entry.id} onClick={() => setExpanded(expanded === entry.id ? null : entry.id)}>
                        {expanded === entry.id ? "Hide" : "Details"}
                      </button>
                    </td>
                  </tr>
                  {expanded === entry.id ? (
                    <tr>
                      <td colSpan={7}>
                        <div className="muted">Context</div>
                        <pre className="stack">{JSON.stringify(entry.context ?? {}, null, 2)}</pre>
                        {entry.stack ? (
                          <>
                            <div className="muted">Stack</div>
                            <pre className="stack">{entry.stack}</pre>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}

/** This page's view without the request-id filter (keeps the range and the other filters). */
function showAllHref(params: URLSearchParams): string {
  const next = new URLSearchParams(params);
  next.delete("requestId");
  const query = next.toString();
  return query ? `/errors?${query}` : "/errors";
}

/** The player an error concerns, when the logger recorded one in its context (playerId). */
function playerOf(context: unknown): string | null {
  if (typeof context !== "object" || context === null) return null;
  const id = (context as Record<string, unknown>).playerId;
  return typeof id === "string" && id.length > 0 ? id : null;
}
