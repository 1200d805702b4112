"use client";

import { useMemo } from "react";
import { Panel } from "@/app/_components/ui/panel";
import { Tile } from "@/app/_components/ui/tile";
import { TimeRangePicker } from "@/app/_components/ui/time-range-picker";
import { useTimeRangeParam } from "@/app/_hooks/use-url-params";
import { ConflictsChart, HitRateChart, InvalidationsChart, LatencyChart } from "@/app/_components/charts/stats-charts";
import { statRanges, useCacheStats } from "@/app/_hooks/queries/cache-stats";
import type { StatRange } from "@/app/_hooks/queries/cache-stats";
import { useOverview } from "@/app/_hooks/queries/overview";
import type { Overview } from "@/app/_hooks/queries/overview";
import { cacheStatsRows } from "@/lib/dashboard/chart-data";
import { formatNumber, formatPercent } from "@/app/_lib/format";

const rangeLabels: Record<StatRange, string> = { "15m": "15 min", "1h": "1 h", "24h": "24 h", "7d": "7 d" };
const presets = (Object.keys(statRanges) as StatRange[]).map((key) => ({ key, label: rangeLabels[key], ms: statRanges[key] }));

export function OverviewDashboard() {
  const [timeRange, setTimeRange] = useTimeRangeParam(Object.keys(statRanges) as StatRange[], "1h");
  const stats = useCacheStats(timeRange.kind === "preset" ? timeRange.key : { from: timeRange.from, to: timeRange.to });
  const overview = useOverview();
  const rows = useMemo(() => (stats.data ? cacheStatsRows(stats.data.buckets, stats.data.range.stepSeconds) : []), [stats.data]);

  const hasData = rows.some((row) => row.reads > 0 || row.write + row.ttl + row.event + row.manual > 0);

  const rangePicker = <TimeRangePicker label="Time range" presets={presets} range={timeRange} onChange={setTimeRange} />;
  // The window the charts span: what the server answered for (a preset slides with now).
  const chartRange = stats.data ? { from: Date.parse(stats.data.range.since), to: Date.parse(stats.data.range.until) } : { from: 0, to: 1 };
  const zoomTo = (zoomed: { from: number; to: number }) => setTimeRange({ kind: "custom", ...zoomed });
  const chartState = { isPending: stats.isPending, error: stats.error, isEmpty: !hasData, emptyText: "No cache activity recorded in this range yet." };

  return (
    <div className="page">
      <div className="page-header">
        <h1>Overview</h1>
        {rangePicker}
      </div>
      <OverviewTiles overview={overview.data} error={overview.error} />
      <div className="grid-2">
        <Panel id="chart-hit-rate" title="Cache hit rate" state={chartState}>
          <HitRateChart rows={rows} range={chartRange} onZoom={zoomTo} />
        </Panel>
        <Panel id="chart-invalidations" title="Invalidations by cause (per minute)" state={chartState}>
          <InvalidationsChart rows={rows} range={chartRange} onZoom={zoomTo} />
        </Panel>
        <Panel id="chart-conflicts" title="Write conflicts and persistence errors" state={chartState}>
          <ConflictsChart rows={rows} range={chartRange} onZoom={zoomTo} />
        </Panel>
        <Panel title="Write latency (p50 / p99)" state={chartState}>
          <LatencyChart rows={rows} range={chartRange} onZoom={zoomTo} />
        </Panel>
      </div>
    </div>
  );
}

/**
 * The tiles show the server's figures (GET /api/v1/overview), never numbers recomputed from the
 * chart buckets, so they cannot contradict the API; each links to the chart or page behind it.
 */
function OverviewTiles({ overview, error }: { overview: Overview | undefined; error: Error | null }) {
  if (!overview) {
    return (
      <div className="tiles" aria-label="Current figures">
        <p className={error ? "panel-state error" : "panel-state"} role={error ? "alert" : "status"}>
          {error ? `Could not load the figures: ${error.message}` : "Loading figures…"}
        </p>
      </div>
    );
  }
  const windowMinutes = Math.round(overview.cacheHitRateWindowSeconds / 60);
  const hitRate = overview.cacheHitRate;
  const judged = hitRate !== null && !overview.cacheHitRateLowSample;
  return (
    <div className="tiles" aria-label="Current figures">
      <Tile
        label="Cache hit rate"
        href="#chart-hit-rate"
        value={hitRate === null ? "No reads" : formatPercent(hitRate)}
        hint={
          hitRate === null
            ? `no cache reads in the last ${windowMinutes} min`
            : `of ${formatNumber(overview.cacheReads)} reads, last ${windowMinutes} min${overview.cacheHitRateLowSample ? " · too few to judge" : " · target ≥ 80 %"}`
        }
        tone={judged ? (hitRate >= 0.8 ? "good" : "warn") : "neutral"}
      />
      <Tile
        label="Invalidations / min"
        href="#chart-invalidations"
        value={overview.invalidationsPerMinuteLastHour.toFixed(1)}
        hint={`${formatNumber(overview.invalidationsLastHour.total)} in the last hour, all causes`}
      />
      <Tile
        label="Stale saves refused"
        href="/saves?outcome=refused"
        value={formatNumber(overview.staleSavesRefusedLastHour)}
        hint="in the last hour"
        tone={overview.staleSavesRefusedLastHour > 0 ? "warn" : "good"}
      />
      <Tile
        label="Errors, last hour"
        href="/errors?range=1h"
        value={formatNumber(overview.errorsLastHour)}
        hint="see the error log"
        tone={overview.errorsLastHour > 0 ? "bad" : "good"}
      />
      <Tile
        label="Players online / dead"
        href="/players?status=dead"
        value={`${formatNumber(overview.playersOnline)} / ${formatNumber(overview.playersDead)}`}
        hint={`of ${formatNumber(overview.playersTotal)} · ${formatNumber(overview.playersMortallyWounded)} mortally wounded · online = active in ${Math.round(overview.onlineWindowSeconds / 60)} min`}
      />
    </div>
  );
}
