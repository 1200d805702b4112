"use client";

import { Brush, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TooltipContentProps } from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { reasonColors } from "@/lib/dashboard/chart-data";
import type { TimelinePoint } from "@/lib/dashboard/chart-data";
import { formatDateTime, formatTime } from "@/app/_lib/format";

const axisStyle = { fill: "#9aa3ad", fontSize: 12 };

function EventTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = payload?.[0]?.payload as TimelinePoint | undefined;
  if (!active || !point) return null;
  const event = point.event;
  return (
    <div className="chart-tooltip">
      <div className="muted">{formatDateTime(point.t)}</div>
      {event ? (
        <>
          <div>
            <strong style={{ color: reasonColors[event.reason] ?? "#e6e8eb" }}>{event.reason}</strong>: {event.before} → {event.after} ({event.delta > 0 ? "+" : ""}
            {event.delta})
          </div>
          <div>actor: {event.actor}</div>
          {event.source ? <div>source: {event.source}</div> : null}
          {event.requestId ? <div className="muted">request: {event.requestId}</div> : null}
        </>
      ) : (
        <div>{point.value}</div>
      )}
    </div>
  );
}

interface TimelineChartProps {
  points: TimelinePoint[];
  label: string;
  color: string;
  referenceLines?: Array<{ y: number; label: string; color: string }>;
  yDomain?: [number | "auto", number | "auto"];
  /** Explicit y ticks (e.g. the health floor, 0 and maxHealth); otherwise the chart picks them. */
  yTicks?: number[];
  height?: number;
  /** Show a brush under the chart to select a sub-range (the health timeline has one). */
  brush?: boolean;
}

/** A step chart of one ledger field, markers coloured by the reason of each change. */
export function TimelineChart({ points, label, color, referenceLines = [], yDomain = ["auto", "auto"], yTicks, height = 260, brush = false }: TimelineChartProps) {
  return (
    <ResponsiveContainer width="100%" height={brush ? height + 40 : height}>
      <LineChart data={points} margin={{ top: 12, right: 36, bottom: 0, left: 0 }} accessibilityLayer>
        <CartesianGrid stroke="#2a3038" strokeDasharray="3 3" />
        <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(value: number) => formatTime(value)} tick={axisStyle} minTickGap={40} />
        <YAxis domain={yDomain} ticks={yTicks} interval={yTicks ? 0 : "preserveEnd"} tick={axisStyle} width={56} allowDecimals={false} />
        <Tooltip content={EventTooltip} />
        {referenceLines.map((line) => (
          <ReferenceLine key={line.label} y={line.y} stroke={line.color} strokeDasharray="6 4" label={{ value: line.label, fill: line.color, fontSize: 11, position: "insideTopLeft" }} />
        ))}
        <Line
          type="stepAfter"
          dataKey="value"
          name={label}
          stroke={color}
          strokeWidth={2}
          isAnimationActive={false}
          dot={(props: { cx?: number; cy?: number; payload?: TimelinePoint; index?: number }) => {
            const event = props.payload?.event;
            if (!event || props.cx === undefined || props.cy === undefined) return <g key={`empty-${props.index}`} />;
            return <circle key={`dot-${event.id}`} className={`marker reason-${event.reason}`} cx={props.cx} cy={props.cy} r={4} fill={reasonColors[event.reason] ?? color} stroke="#0f1216" strokeWidth={1} />;
          }}
        />
        {brush && points.length > 2 ? (
          <Brush dataKey="t" height={26} stroke="#6cb4ee" fill="#0f1216" travellerWidth={8} tickFormatter={(value: number) => formatTime(value)} aria-label="Select a time range" />
        ) : null}
      </LineChart>
    </ResponsiveContainer>
  );
}
