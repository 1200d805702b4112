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
import { cacheStatsRows, chartEmptiness } from "@/lib/dashboard/chart-data";
import { LOW_SAMPLE_READS } from "@/lib/metrics/overview-summary";
import { formatNumber, formatPercent } from "@/app/_lib/format";

const rangeLabels: Record<StatRange, string> = { "15m": "15 min", "1h": "1 h", "24h": "24 h", "7d": "7 d" };
const presets = (Object.keys(statRanges) as StatRange[]).map((key) => ({ key, label: rangeLabels[key], ms: statRanges[key] }));

export function OverviewDashboard() {
  const [timeRange, setTimeRange] = useTimeRangeParam(Object.keys(statRanges) as StatRange[], "1h");
  const stats = useCacheStats(timeRange.kind === "preset" ? timeRange.key : { from: timeRange.from, to: timeRange.to });
  const overview = useOverview();
  const rows = useMemo(() => (stats.data ? cacheStatsRows(stats.data.buckets, stats.data.range.stepSeconds) : []), [stats.data]);
  // Each chart judges its own emptiness: a range with invalidations but no reads must not draw a
  // blank hit-rate plot (issue 25: "At 15 min it is a blank plot").
  const empty = chartEmptiness(rows);
  const demo = stats.data && stats.data.demoSamples > 0 ? <DemoBadge /> : null;

  const rangePicker = <TimeRangePicker label="Time range" presets={presets} range={timeRange} onChange={setTimeRange} />;
  // The window the charts span: what the server answered for (a preset slides with now).
  const chartRange = stats.data ? { from: Date.parse(stats.data.range.since), to: Date.parse(stats.data.range.until) } : { from: 0, to: 1 };
  const zoomTo = (zoomed: { from: number; to: number }) => setTimeRange({ kind: "custom", ...zoomed });
  const chartState = (isEmpty: boolean, emptyText: string) => ({ isPending: stats.isPending, error: stats.error, isEmpty, emptyText });

  return (
    <div className="page">
      <div className="page-header">
        <h1>Overview</h1>
        {rangePicker}
      </div>
      <OverviewTiles overview={overview.data} error={overview.error} />
      <div className="grid-2">
        <Panel id="chart-hit-rate" title="Cache hit rate" actions={demo} state={chartState(empty.hitRate, "No data: no cache reads in this range.")}>
          <HitRateChart rows={rows} range={chartRange} onZoom={zoomTo} />
          <p className="muted chart-note">Hollow dots: buckets with fewer than {LOW_SAMPLE_READS} reads, too few to judge.</p>
        </Panel>
        <Panel id="chart-invalidations" title="Invalidations by cause (per minute)" actions={demo} state={chartState(empty.invalidations, "No data: no invalidations in this range.")}>
          <InvalidationsChart rows={rows} range={chartRange} onZoom={zoomTo} />
        </Panel>
        <Panel id="chart-conflicts" title="Write conflicts and persistence errors" actions={demo} state={chartState(empty.conflicts, "None: no stale saves refused and no persistence errors in this range.")}>
          <ConflictsChart rows={rows} range={chartRange} onZoom={zoomTo} />
        </Panel>
        <Panel title="Write latency (p50 / p99)" actions={demo} state={chartState(empty.latency, "No data: no writes in this range.")}>
          <LatencyChart rows={rows} range={chartRange} onZoom={zoomTo} />
        </Panel>
      </div>
    </div>
  );
}

/**
 * The tiles show the server's figures (GET /api/v1/overview), never numbers recomputed from the
 * chart buckets, so they cannot contradict the API. Each says the window it covers and links to the
 * list or chart behind it.
 */
function OverviewTiles({ overview, error }: { overview: Overview | undefined; error: Error | null }) {
  if (!overview) {
    return (
      <div className="tiles" role="region" aria-label="Current figures">
        <p className={error ? "panel-state error" : "panel-state"} role={error ? "alert" : "status"}>
          {error ? `Could not load the figures: ${error.message}` : "Loading figures…"}
        </p>
      </div>
    );
  }
  const nowMinutes = Math.round(overview.nowWindowSeconds / 60);
  const now = `now · last ${nowMinutes} min`;
  const hitRate = overview.cacheHitRate;
  const judged = hitRate !== null && !overview.cacheHitRateLowSample;
  const demo = overview.includesDemoMetrics ? " · demo data" : "";
  return (
    <div className="tiles" role="region" aria-label="Current figures">
      {overview.includesDemoMetrics ? <p className="tiles-note muted">Includes demo metrics (instance demo-seed): the seed&apos;s invented day of samples, not traffic.</p> : null}
      <Tile
        label="Cache hit rate"
        window={now}
        href="#chart-hit-rate"
        value={hitRate === null ? "No reads" : formatPercent(hitRate)}
        hint={hitRate === null ? `no cache reads${demo}` : `of ${formatNumber(overview.cacheReads)} reads${overview.cacheHitRateLowSample ? " · too few to judge" : " · target ≥ 80 %"}${demo}`}
        tone={judged ? (hitRate >= 0.8 ? "good" : "warn") : "neutral"}
      />
      <Tile
        label="Invalidations / min"
        window={now}
        href="#chart-invalidations"
        value={formatNumber(overview.invalidationsPerMinuteNow)}
        hint={`${formatNumber(overview.invalidationsNow.total)} in ${nowMinutes} min · ${formatNumber(overview.invalidationsLastHour.total)} in the last hour${demo}`}
      />
      <Tile
        label="Stale saves refused"
        window="last hour"
        href="/saves?outcome=refused"
        value={formatNumber(overview.staleSavesRefusedLastHour)}
        hint={`${formatNumber(overview.staleSavesRefusedNow)} in the last ${nowMinutes} min${demo}`}
        tone={overview.staleSavesRefusedLastHour > 0 ? "warn" : "good"}
      />
      <Tile
        label="Errors"
        window="last hour"
        href="/errors?range=1h"
        value={formatNumber(overview.errorsLastHour)}
        hint="see the error log"
        tone={overview.errorsLastHour > 0 ? "bad" : "good"}
      />
      <Tile
        label="Players online"
        window={`active in the last ${Math.round(overview.onlineWindowSeconds / 60)} min`}
        href="/players?sort=lastActiveAt&order=desc"
        value={formatNumber(overview.playersOnline)}
        hint={`of ${formatNumber(overview.playersTotal)} players`}
      />
      <Tile
        label="Mortally wounded"
        window="now"
        href="/players?status=mortally_wounded"
        value={formatNumber(overview.playersMortallyWounded)}
        hint="health 0 or below, not yet dead"
        tone={overview.playersMortallyWounded > 0 ? "warn" : "neutral"}
      />
      <Tile
        label="Dead"
        window="now"
        href="/players?status=dead"
        value={formatNumber(overview.playersDead)}
        hint={`health at or below ${formatNumber(overview.healthFloor)}`}
        tone={overview.playersDead > 0 ? "bad" : "neutral"}
      />
    </div>
  );
}

/** Marks a chart whose range holds the seed's invented samples (instance demo-seed), so nobody reads them as traffic. */
function DemoBadge() {
  return (
    <span className="badge demo-badge" title="Includes the seed's invented samples (instance demo-seed)">
      demo data
    </span>
  );
}
