"use client";

import { useMemo, useState } from "react";
import { Panel } from "@/app/_components/ui/panel";
import { Tile } from "@/app/_components/ui/tile";
import { ConflictsChart, HitRateChart, InvalidationsChart, LatencyChart } from "@/app/_components/charts/stats-charts";
import { statRanges, useCacheStats } from "@/app/_hooks/queries/cache-stats";
import type { StatRange } from "@/app/_hooks/queries/cache-stats";
import { useOverview } from "@/app/_hooks/queries/overview";
import { cacheStatsRows } from "@/lib/dashboard/chart-data";
import { formatNumber, formatPercent } from "@/app/_lib/format";

const rangeLabels: Record<StatRange, string> = { "15m": "15 min", "1h": "1 h", "24h": "24 h", "7d": "7 d" };

export function OverviewDashboard() {
  const [range, setRange] = useState<StatRange>("1h");
  const stats = useCacheStats(range);
  const overview = useOverview();
  const rows = useMemo(() => (stats.data ? cacheStatsRows(stats.data.buckets, stats.data.range.stepSeconds) : []), [stats.data]);

  // Tiles summarise the last few buckets with data, so they follow "now" rather than the whole range.
  const recent = stats.data?.buckets.filter((bucket) => bucket.hits + bucket.misses > 0).slice(-3) ?? [];
  const recentHits = recent.reduce((sum, bucket) => sum + bucket.hits, 0);
  const recentGets = recent.reduce((sum, bucket) => sum + bucket.hits + bucket.misses, 0);
  const hitRate = recentGets > 0 ? recentHits / recentGets : null;
  const lastRows = rows.slice(-5);
  const invalidationsPerMinute = lastRows.length ? lastRows.reduce((sum, row) => sum + row.write + row.ttl + row.event + row.manual, 0) / lastRows.length : null;
  const staleInRange = rows.reduce((sum, row) => sum + row.staleSavesRefused, 0);
  const hasData = rows.some((row) => row.hitRatePct !== null);

  const rangePicker = (
    <div className="segmented" role="radiogroup" aria-label="Time range">
      {(Object.keys(statRanges) as StatRange[]).map((key) => (
        <button key={key} type="button" role="radio" aria-checked={range === key} className={range === key ? "selected" : ""} onClick={() => setRange(key)}>
          {rangeLabels[key]}
        </button>
      ))}
    </div>
  );
  const chartState = { isPending: stats.isPending, error: stats.error, isEmpty: !hasData, emptyText: "No cache activity recorded in this range yet." };

  return (
    <div className="page">
      <div className="page-header">
        <h1>Overview</h1>
        {rangePicker}
      </div>
      <div className="tiles" aria-label="Current figures">
        <Tile label="Cache hit rate" value={formatPercent(hitRate)} hint="recent buckets · target ≥ 80 %" tone={hitRate === null ? "neutral" : hitRate >= 0.8 ? "good" : "warn"} />
        <Tile label="Invalidations / min" value={invalidationsPerMinute === null ? "—" : invalidationsPerMinute.toFixed(1)} hint="all causes, recent" />
        <Tile label="Stale saves refused" value={formatNumber(staleInRange)} hint={`in the last ${rangeLabels[range]}`} tone={staleInRange > 0 ? "warn" : "good"} />
        <Tile
          label="Errors, last hour"
          value={overview.data ? formatNumber(overview.data.errorsLastHour) : "—"}
          tone={overview.data ? (overview.data.errorsLastHour > 0 ? "bad" : "good") : "neutral"}
        />
        <Tile
          label="Players online / dead"
          value={overview.data ? `${formatNumber(overview.data.playersOnline)} / ${formatNumber(overview.data.playersDead)}` : "—"}
          hint={overview.data ? `of ${formatNumber(overview.data.playersTotal)} · online = active in 5 min` : overview.error ? "could not load" : undefined}
        />
      </div>
      <div className="grid-2">
        <Panel title="Cache hit rate" state={chartState}>
          <HitRateChart rows={rows} />
        </Panel>
        <Panel title="Invalidations by cause (per minute)" state={chartState}>
          <InvalidationsChart rows={rows} />
        </Panel>
        <Panel title="Write conflicts and persistence errors" state={chartState}>
          <ConflictsChart rows={rows} />
        </Panel>
        <Panel title="Write latency (p50 / p99)" state={chartState}>
          <LatencyChart rows={rows} />
        </Panel>
      </div>
    </div>
  );
}
