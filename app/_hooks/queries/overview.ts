"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/app/_lib/api-client";
import { useLiveRefetchInterval } from "@/app/_components/live-state";
import type { OverviewSummary } from "@/lib/metrics/overview-summary";

/** GET /api/v1/overview: every tile's figure, computed once on the server (lib/metrics/overview-summary.ts). */
export type Overview = OverviewSummary;

export const overviewKeys = { all: ["overview"] as const };

export function useOverview() {
  const refetchInterval = useLiveRefetchInterval();
  return useQuery({ queryKey: overviewKeys.all, queryFn: () => apiFetch<Overview>("/api/v1/overview"), refetchInterval });
}
