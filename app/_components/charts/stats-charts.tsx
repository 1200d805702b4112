"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StatsRow } from "@/lib/dashboard/chart-data";
import { formatDateTime, formatTime } from "@/app/_lib/format";

const axisStyle = { fill: "#9aa3ad", fontSize: 12 };
const grid = <CartesianGrid stroke="#2a3038" strokeDasharray="3 3" />;
const tooltipStyle = { contentStyle: { background: "#171b21", border: "1px solid #2a3038", color: "#e6e8eb" }, labelFormatter: (value: unknown) => formatDateTime(Number(value)) };

function timeAxis() {
  return <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(value: number) => formatTime(value)} tick={axisStyle} minTickGap={40} />;
}

export function HitRateChart({ rows }: { rows: StatsRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        {grid}
        {timeAxis()}
        <YAxis domain={[0, 100]} unit=" %" tick={axisStyle} width={52} />
        <Tooltip {...tooltipStyle} formatter={(value) => [`${value} %`, "hit rate"]} />
        <ReferenceLine y={80} stroke="#e3b341" strokeDasharray="6 4" label={{ value: "target 80 %", fill: "#e3b341", fontSize: 11, position: "insideBottomRight" }} />
        <Line type="monotone" dataKey="hitRatePct" name="hit rate" stroke="#6cb4ee" dot={false} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

export function InvalidationsChart({ rows }: { rows: StatsRow[] }) {
  const causes = [
    { key: "write", color: "#6cb4ee" },
    { key: "ttl", color: "#9aa3ad" },
    { key: "event", color: "#b48ead" },
    { key: "manual", color: "#e3b341" },
  ];
  return (
    <ResponsiveContainer width="100%" height={220}>
      <AreaChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        {grid}
        {timeAxis()}
        <YAxis tick={axisStyle} width={52} />
        <Tooltip {...tooltipStyle} formatter={(value, name) => [`${value} /min`, name]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {causes.map((cause) => (
          <Area key={cause.key} type="monotone" dataKey={cause.key} stackId="causes" stroke={cause.color} fill={cause.color} fillOpacity={0.35} isAnimationActive={false} />
        ))}
      </AreaChart>
    </ResponsiveContainer>
  );
}

export function ConflictsChart({ rows }: { rows: StatsRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        {grid}
        {timeAxis()}
        <YAxis allowDecimals={false} tick={axisStyle} width={52} />
        <Tooltip {...tooltipStyle} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="staleSavesRefused" name="stale saves refused" fill="#e3b341" isAnimationActive={false} />
        <Bar dataKey="persistenceErrors" name="persistence errors" fill="#f0616d" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function LatencyChart({ rows }: { rows: StatsRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        {grid}
        {timeAxis()}
        <YAxis unit=" ms" tick={axisStyle} width={60} />
        <Tooltip {...tooltipStyle} formatter={(value, name) => [`${value} ms`, name]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line type="monotone" dataKey="p50" name="p50" stroke="#3fb97f" dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="p99" name="p99" stroke="#f0616d" dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
