"use client";

import { useMemo, useState } from "react";
import { ReferenceArea, XAxis } from "recharts";
import type { MouseHandlerDataParam } from "recharts";
import { useDisplayZone } from "@/app/_components/display-zone";
import { formatTick, timeTicks, zoneId, zoomRange } from "@/lib/dashboard/time-axis";

export const axisTick = { fill: "var(--muted)", fontSize: 12 };

/**
 * The x axis of every time chart: round ticks in the chosen zone (dates on multi-day axes), as many
 * as the chart's width holds. `onResize` goes on the chart's ResponsiveContainer.
 */
export function useTimeAxis(from: number, to: number) {
  const { zone } = useDisplayZone();
  const [width, setWidth] = useState(600);
  const element = useMemo(() => {
    const labelWidth = to - from > 12 * 3_600_000 ? 84 : 58;
    const axis = timeTicks(from, to, zoneId(zone), Math.max(2, Math.floor((width - 60) / labelWidth)));
    return (
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={[from, to]}
        allowDataOverflow
        ticks={axis.ticks}
        interval={0}
        tickFormatter={(value: number) => formatTick(value, axis, zoneId(zone))}
        tick={axisTick}
      />
    );
  }, [from, to, zone, width]);
  return { xAxis: element, onResize: (nextWidth: number) => setWidth((current) => (Math.abs(current - nextWidth) > 8 ? nextWidth : current)) };
}

function labelAsTime(state: MouseHandlerDataParam | undefined): number | null {
  const value = Number(state?.activeLabel);
  return state?.activeLabel !== undefined && Number.isFinite(value) ? value : null;
}

/**
 * Drag across a time chart to zoom into that span (recharts' ReferenceArea pattern): the chart
 * shades the selection while dragging and calls `onZoom` on release. Without `onZoom`, nothing.
 */
export function useDragZoom(onZoom?: (range: { from: number; to: number }) => void) {
  const [start, setStart] = useState<number | null>(null);
  const [end, setEnd] = useState<number | null>(null);
  if (!onZoom) return { handlers: {}, selection: null };
  const reset = () => {
    setStart(null);
    setEnd(null);
  };
  return {
    handlers: {
      onMouseDown: (state: MouseHandlerDataParam) => {
        setStart(labelAsTime(state));
        setEnd(null);
      },
      onMouseMove: (state: MouseHandlerDataParam) => {
        if (start !== null) setEnd(labelAsTime(state) ?? end);
      },
      onMouseUp: () => {
        const range = start !== null && end !== null ? zoomRange(start, end) : null;
        reset();
        if (range) onZoom(range);
      },
      onMouseLeave: reset,
    },
    selection: start !== null && end !== null ? <ReferenceArea x1={Math.min(start, end)} x2={Math.max(start, end)} fill="var(--accent)" fillOpacity={0.2} ifOverflow="hidden" /> : null,
  };
}
