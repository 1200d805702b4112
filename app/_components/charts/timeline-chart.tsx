"use client";

import { useMemo } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import type { TooltipContentProps } from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { reasonColors } from "@/lib/dashboard/chart-data";
import type { ShapedPoint, TimelineMarker } from "@/lib/dashboard/field-timeline-shape";
import { formatDateTime } from "@/app/_lib/format";
import { markerPath, markerShape } from "./marker-shape";
import { axisTick, useDragZoom, useTimeAxis } from "./time-axis";

const signed = (delta: number) => (delta > 0 ? `+${delta}` : String(delta));

function MarkerTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = payload?.[0]?.payload as ShapedPoint | undefined;
  if (!active || !point) return null;
  const marker = point.marker;
  return (
    <div className="chart-tooltip">
      <div className="muted">{formatDateTime(point.t)}</div>
      {marker ? (
        <>
          {marker.count > 1 ? <div>{marker.count} changes here</div> : null}
          <ul className="tooltip-list">
            {marker.items.map((item) => (
              <li key={item.id}>
                <strong style={{ color: reasonColors[item.reason] ?? "var(--text)" }}>{item.reason}</strong>
                {item.field !== "health" || marker.fields.length > 1 ? ` ${item.field}` : ""}: {item.before} → {item.after} ({signed(item.delta)}) · {item.actor}
                {item.note ? <div>reason: {item.note}</div> : null}
                {item.source ? <div className="muted">source: {item.source}</div> : null}
                {marker.count === 1 && item.requestId ? <div className="muted">request: {item.requestId}</div> : null}
              </li>
            ))}
          </ul>
          {marker.count > marker.items.length ? <div className="muted">and {marker.count - marker.items.length} more (see the ledger)</div> : null}
        </>
      ) : (
        <div>{point.value}</div>
      )}
    </div>
  );
}

/**
 * A marker: one change → a mark coloured by its reason and shaped by it too (marker-shape.tsx:
 * colour alone fails some readers); a change of another field than the line's (e.g. XP on the
 * health chart) → a hollow square in its reason's colour; several close changes → a larger dot
 * with their count.
 */
function MarkerShape({ cx, cy, marker, field, color, index }: { cx?: number; cy?: number; marker: TimelineMarker | null | undefined; field: string; color: string; index?: number }) {
  if (!marker || cx === undefined || cy === undefined) return <g key={`empty-${index}`} />;
  const fill = reasonColors[marker.reason] ?? color;
  const key = `marker-${index}`;
  if (marker.count > 1) {
    return (
      <g key={key} className={`marker-cluster reason-${marker.reason}`}>
        <circle cx={cx} cy={cy} r={9} fill={marker.reason === "mixed" ? "var(--border)" : fill} stroke="var(--text)" strokeWidth={1} />
        <text x={cx} y={cy + 3.5} textAnchor="middle" fontSize={10} fill="var(--text)">
          {marker.count > 99 ? "99+" : marker.count}
        </text>
      </g>
    );
  }
  if (!marker.fields.includes(field)) {
    return (
      <rect
        key={key}
        className={`marker reason-${marker.reason} field-${marker.fields[0]} shape-other-field`}
        x={cx - 4}
        y={cy - 4}
        width={8}
        height={8}
        fill="var(--bg)"
        stroke={fill}
        strokeWidth={2}
      />
    );
  }
  const shape = markerShape(marker.reason);
  return <path key={key} className={`marker reason-${marker.reason} shape-${shape}`} d={markerPath(shape, cx, cy, 4.5)} fill={fill} stroke="var(--bg)" strokeWidth={1} />;
}

interface TimelineChartProps {
  points: ShapedPoint[];
  /** The ledger field the line draws (markers of other fields are drawn as hollow squares). */
  field: string;
  label: string;
  color: string;
  referenceLines?: Array<{ y: number; label: string; color: string }>;
  yDomain?: [number | "auto", number | "auto"];
  /** Explicit y ticks (e.g. the health floor, 0 and maxHealth); otherwise the chart picks them. */
  yTicks?: number[];
  height?: number;
  /** The time window shown; the points' own span when not given. */
  range?: { from: number; to: number };
  /** Drag across the chart to zoom into that span. */
  onZoom?: (range: { from: number; to: number }) => void;
}

/** A step chart of one ledger field with its change markers (shaped by lib/dashboard/field-timeline-shape.ts). */
export function TimelineChart({ points, field, label, color, referenceLines = [], yDomain = ["auto", "auto"], yTicks, height = 260, range, onZoom }: TimelineChartProps) {
  const shown = range ?? { from: points[0]?.t ?? 0, to: points[points.length - 1]?.t ?? 1 };
  const { xAxis, onResize } = useTimeAxis(shown.from, shown.to);
  const zoom = useDragZoom(onZoom);
  // The server fits each field's window to its own changes; drawn in a shared (wider) window, the
  // step line is held at its first and last values out to the window's edges.
  const drawn = useMemo(() => {
    if (!range || points.length === 0) return points;
    const first = points[0]!;
    const last = points[points.length - 1]!;
    return [
      ...(first.t > range.from ? [{ t: range.from, value: first.value, marker: null }] : []),
      ...points,
      ...(last.t < range.to ? [{ t: range.to, value: last.value, marker: null }] : []),
    ];
  }, [points, range]);
  return (
    <ResponsiveContainer width="100%" height={height} onResize={onResize}>
      <LineChart data={drawn} margin={{ top: 12, right: 36, bottom: 0, left: 0 }} title={`${label} over time`} {...zoom.handlers}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        {xAxis}
        <YAxis domain={yDomain} ticks={yTicks} interval={yTicks ? 0 : "preserveEnd"} tick={axisTick} width={56} allowDecimals={false} />
        <Tooltip content={MarkerTooltip} />
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
          dot={(props: { cx?: number; cy?: number; payload?: ShapedPoint; index?: number }) => (
            <MarkerShape key={`m-${props.index}`} cx={props.cx} cy={props.cy} marker={props.payload?.marker} field={field} color={color} index={props.index} />
          )}
        />
        {zoom.selection}
      </LineChart>
    </ResponsiveContainer>
  );
}
