"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";
import { errorWindows } from "./staff-logs";
import { errorHistogramRows } from "@/lib/dashboard/chart-data";
import type { errorHistogram } from "@/lib/errors/error-histogram";

type ErrorHistogram = Awaited<ReturnType<typeof errorHistogram>>;

/** Ranges are named, not timestamped, so the key stays stable while the window slides. */
const ranges = errorWindows;

interface HistogramFilters {
  level?: string;
  module?: string;
}

export const errorHistogramKeys = {
  all: ["error-histogram"] as const,
  range: (range: keyof typeof ranges | AbsoluteRange, filters: HistogramFilters) => [...errorHistogramKeys.all, range, filters] as const,
};

/** A custom range or a drag-to-zoom: fixed instants, so they may sit in the key. */
type AbsoluteRange = { from: number; to: number };

/** The chart follows the same level/module filters as the table below it. */
export function useErrorHistogram(range: keyof typeof ranges | AbsoluteRange, filters: HistogramFilters = {}) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: errorHistogramKeys.range(range, filters),
    queryFn: async () => {
      const until = new Date(typeof range === "string" ? Date.now() : range.to);
      const since = new Date(typeof range === "string" ? until.getTime() - ranges[range] : range.from);
      const response = await apiFetch<ErrorHistogram>(`/api/v1/errors/histogram${queryString({ since: since.toISOString(), until: until.toISOString(), ...filters })}`);
      return { rows: errorHistogramRows(response.buckets), stepSeconds: response.range.stepSeconds };
    },
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}
