"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import { invalidationSeries } from "@/lib/dashboard/chart-data";
import type { InvalidationCause, StatsRow } from "@/lib/dashboard/chart-data";
import { formatDateTime } from "@/app/_lib/format";
import { axisTick, useDragZoom, useTimeAxis } from "./time-axis";

const grid = <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />;
const tooltipStyle = {
  contentStyle: { background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" },
  labelFormatter: (value: unknown) => formatDateTime(Number(value)),
  // Kept inside the chart (recharts' default) and narrow enough for a 390 px screen.
  allowEscapeViewBox: { x: false, y: false },
  wrapperStyle: { maxWidth: "min(280px, 80vw)", whiteSpace: "normal" as const, zIndex: 2 },
};
const margin = { top: 8, right: 16, bottom: 0, left: 0 };

/** Every overview chart: the time window it shows, and what a drag across it does. */
export interface TimeChartProps {
  rows: StatsRow[];
  range: { from: number; to: number };
  onZoom?: (range: { from: number; to: number }) => void;
}

function useTimeChart({ range, onZoom }: TimeChartProps) {
  const { xAxis, onResize } = useTimeAxis(range.from, range.to);
  const zoom = useDragZoom(onZoom);
  return { xAxis, onResize, zoom };
}

export function HitRateChart(props: TimeChartProps) {
  const { xAxis, onResize, zoom } = useTimeChart(props);
  return (
    <ResponsiveContainer width="100%" height={220} onResize={onResize}>
      <LineChart data={props.rows} margin={margin} title="Cache hit rate over time" {...zoom.handlers}>
        {grid}
        {xAxis}
        <YAxis domain={[0, 100]} unit=" %" tick={axisTick} width={52} />
        <Tooltip {...tooltipStyle} formatter={(value, _name, item) => [`${value} % of ${(item.payload as StatsRow).reads} reads`, "hit rate"]} />
        <ReferenceLine y={80} stroke="var(--warn)" strokeDasharray="6 4" label={{ value: "target 80 %", fill: "var(--warn)", fontSize: 11, position: "insideBottomRight" }} />
        <Line type="monotone" dataKey="hitRatePct" name="hit rate" stroke="var(--series-1)" dot={false} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
        {/* Buckets with too few reads to judge: hollow dots, not joined, so two misses do not draw a plunge to 0 %. */}
        {props.rows.map((row) =>
          row.hitRateLowSamplePct === null ? null : (
            <ReferenceDot
              key={row.t}
              className="few-reads"
              x={row.t}
              y={row.hitRateLowSamplePct}
              r={3}
              fill="none"
              stroke="var(--series-1)"
              strokeOpacity={0.6}
              ifOverflow="discard"
            />
          ),
        )}
        {zoom.selection}
      </LineChart>
    </ResponsiveContainer>
  );
}

const causeColors: Record<InvalidationCause, string> = { write: "var(--series-1)", ttl: "var(--series-2)", event: "var(--series-3)", manual: "var(--warn)" };

export function InvalidationsChart(props: TimeChartProps) {
  const { xAxis, onResize, zoom } = useTimeChart(props);
  // A cause that is zero over the whole range is named below the chart, not stacked as a flat line.
  const { drawn, none } = invalidationSeries(props.rows);
  return (
    <>
      <ResponsiveContainer width="100%" height={220} onResize={onResize}>
        <AreaChart data={props.rows} margin={margin} title="Cache invalidations per minute by cause" {...zoom.handlers}>
          {grid}
          {xAxis}
          <YAxis tick={axisTick} width={52} />
          <Tooltip {...tooltipStyle} formatter={(value, name) => [`${value} /min`, name]} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {drawn.map((cause) => (
            <Area key={cause} type="monotone" dataKey={cause} stackId="causes" stroke={causeColors[cause]} fill={causeColors[cause]} fillOpacity={0.35} isAnimationActive={false} />
          ))}
          {zoom.selection}
        </AreaChart>
      </ResponsiveContainer>
      {none.length > 0 ? <p className="muted chart-note">None in this range: {none.join(", ")}.</p> : null}
    </>
  );
}

export function ConflictsChart(props: TimeChartProps) {
  const { xAxis, onResize, zoom } = useTimeChart(props);
  return (
    <ResponsiveContainer width="100%" height={220} onResize={onResize}>
      <BarChart data={props.rows} margin={margin} title="Stale saves refused and persistence errors over time" {...zoom.handlers}>
        {grid}
        {xAxis}
        <YAxis allowDecimals={false} tick={axisTick} width={52} />
        <Tooltip {...tooltipStyle} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="staleSavesRefused" name="stale saves refused" fill="var(--warn)" isAnimationActive={false} />
        <Bar dataKey="persistenceErrors" name="persistence errors" fill="var(--bad)" isAnimationActive={false} />
        {zoom.selection}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function LatencyChart(props: TimeChartProps) {
  const { xAxis, onResize, zoom } = useTimeChart(props);
  return (
    <ResponsiveContainer width="100%" height={220} onResize={onResize}>
      <LineChart data={props.rows} margin={margin} title="Write latency p50 and p99 over time" {...zoom.handlers}>
        {grid}
        {xAxis}
        <YAxis unit=" ms" tick={axisTick} width={60} />
        <Tooltip {...tooltipStyle} formatter={(value, name) => [`${value} ms`, name]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line type="monotone" dataKey="p50" name="p50" stroke="var(--ok)" dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="p99" name="p99" stroke="var(--bad)" strokeDasharray="5 3" dot={false} isAnimationActive={false} />
        {zoom.selection}
      </LineChart>
    </ResponsiveContainer>
  );
}
