"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";
import type { ErrorBucketRow } from "@/lib/dashboard/chart-data";

const ranges = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;

interface HistogramResponse {
  buckets: Array<{ at: string; error?: number; fatal?: number; counts?: { error?: number; fatal?: number } }>;
}

export const errorHistogramKeys = { all: ["error-histogram"] as const, range: (range: keyof typeof ranges) => [...errorHistogramKeys.all, range] as const };

export function useErrorHistogram(range: keyof typeof ranges) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: errorHistogramKeys.range(range),
    queryFn: async () => {
      const until = new Date();
      const since = new Date(until.getTime() - ranges[range]);
      const response = await apiFetch<HistogramResponse>(`/api/v1/errors/histogram${queryString({ since: since.toISOString(), until: until.toISOString() })}`);
      const rows: ErrorBucketRow[] = response.buckets.map((bucket) => ({
        t: new Date(bucket.at).getTime(),
        error: bucket.error ?? bucket.counts?.error ?? 0,
        fatal: bucket.fatal ?? bucket.counts?.fatal ?? 0,
      }));
      return { rows };
    },
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}
