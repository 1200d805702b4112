"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";
import { rangeSpans } from "@/lib/dashboard/range-presets";
import type { cacheStatsHistory } from "@/lib/metrics/cache-stats-history";

export type CacheStats = Awaited<ReturnType<typeof cacheStatsHistory>>;

/** Ranges are named, not timestamped, so the key stays stable while the window slides. */
export const statRangeKeys = ["15m", "1h", "24h", "7d"] as const;
export const statRanges = rangeSpans(statRangeKeys);
export type StatRange = keyof typeof statRanges;

export const cacheStatsKeys = {
  all: ["cache-stats"] as const,
  range: (range: StatRange | AbsoluteRange) => [...cacheStatsKeys.all, range] as const,
};

/** A custom range or a drag-to-zoom: fixed instants, so they may sit in the key. */
export type AbsoluteRange = { from: number; to: number };

export function useCacheStats(range: StatRange | AbsoluteRange) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: cacheStatsKeys.range(range),
    queryFn: () => {
      const until = new Date(typeof range === "string" ? Date.now() : range.to);
      const since = new Date(typeof range === "string" ? until.getTime() - statRanges[range] : range.from);
      return apiFetch<CacheStats>(`/api/v1/cache/stats${queryString({ since: since.toISOString(), until: until.toISOString() })}`);
    },
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}
