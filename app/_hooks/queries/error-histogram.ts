"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";
import { errorHistogramRows } from "@/lib/dashboard/chart-data";
import type { errorHistogram } from "@/lib/errors/error-histogram";

type ErrorHistogram = Awaited<ReturnType<typeof errorHistogram>>;

/** Ranges are named, not timestamped, so the key stays stable while the window slides. */
const ranges = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;

interface HistogramFilters {
  level?: string;
  module?: string;
}

export const errorHistogramKeys = {
  all: ["error-histogram"] as const,
  range: (range: keyof typeof ranges, filters: HistogramFilters) => [...errorHistogramKeys.all, range, filters] as const,
};

/** The chart follows the same level/module filters as the table below it. */
export function useErrorHistogram(range: keyof typeof ranges, filters: HistogramFilters = {}) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: errorHistogramKeys.range(range, filters),
    queryFn: async () => {
      const until = new Date();
      const since = new Date(until.getTime() - ranges[range]);
      const response = await apiFetch<ErrorHistogram>(`/api/v1/errors/histogram${queryString({ since: since.toISOString(), until: until.toISOString(), ...filters })}`);
      return { rows: errorHistogramRows(response.buckets), stepSeconds: response.range.stepSeconds };
    },
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}
