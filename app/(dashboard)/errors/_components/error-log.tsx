"use client";

import { Fragment, useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Panel } from "@/app/_components/ui/panel";
import { useErrorHistogram } from "@/app/_hooks/queries/error-histogram";
import { useErrorLog } from "@/app/_hooks/queries/staff-logs";
import { formatDateTime, formatTime } from "@/app/_lib/format";
import { bucketWidthLabel } from "@/lib/dashboard/chart-data";

const sinceOptions = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;
type SinceKey = keyof typeof sinceOptions;

export function ErrorLog() {
  const [level, setLevel] = useState("");
  const [module, setModule] = useState("");
  const [sinceKey, setSinceKey] = useState<SinceKey>("24h");
  const [expanded, setExpanded] = useState<number | null>(null);
  const since = useMemo(() => new Date(Date.now() - sinceOptions[sinceKey]).toISOString(), [sinceKey]);
  const log = useErrorLog({ level: level || undefined, module: module || undefined, since });
  const histogram = useErrorHistogram(sinceKey, { level: level || undefined, module: module || undefined });
  const items = log.data?.items ?? [];
  const chartRows = histogram.data?.rows ?? [];

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
          <label className="field inline">
            Since
            <select value={sinceKey} onChange={(event) => setSinceKey(event.target.value as SinceKey)}>
              <option value="1h">last hour</option>
              <option value="24h">last 24 h</option>
              <option value="7d">last 7 days</option>
            </select>
          </label>
        </div>
      </div>
      <Panel
        title={`Errors per ${bucketWidthLabel(histogram.data?.stepSeconds ?? 60)}`}
        state={{ isPending: histogram.isPending, error: histogram.error, isEmpty: !chartRows.some((row) => row.error + row.fatal > 0), emptyText: "No errors in this range." }}
      >
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={chartRows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#2a3038" strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(value: number) => formatTime(value)} tick={{ fill: "#9aa3ad", fontSize: 12 }} minTickGap={40} />
            <YAxis allowDecimals={false} tick={{ fill: "#9aa3ad", fontSize: 12 }} width={40} />
            <Tooltip contentStyle={{ background: "#171b21", border: "1px solid #2a3038" }} labelFormatter={(value) => formatDateTime(Number(value))} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="error" stackId="level" fill="#f0616d" isAnimationActive={false} />
            <Bar dataKey="fatal" stackId="level" fill="#b4232f" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </Panel>
      <Panel title="Error log" state={{ isPending: log.isPending, error: log.error, isEmpty: items.length === 0, emptyText: "No errors match. Quiet is good." }}>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Level</th>
                <th>Module</th>
                <th>Message</th>
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
                      <span className={`badge ${entry.level === "fatal" ? "status-dead" : "status-mortally_wounded"}`}>{entry.level}</span>
                    </td>
                    <td>{entry.module}</td>
                    <td className="truncate" title={entry.message}>
                      {entry.message}
                    </td>
                    <td className="truncate muted">{entry.requestId ?? "—"}</td>
                    <td>
                      <button type="button" className="button secondary" aria-expanded={expanded === entry.id} onClick={() => setExpanded(expanded === entry.id ? null : entry.id)}>
                        {expanded === entry.id ? "Hide" : "Details"}
                      </button>
                    </td>
                  </tr>
                  {expanded === entry.id ? (
                    <tr>
                      <td colSpan={6}>
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
