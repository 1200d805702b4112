"use client";

import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/app/_lib/api";
import type { paths } from "@/clients/typescript/src/schema";
import { useLiveRefetchInterval } from "@/app/_components/live-state";

/** GET /api/v1/overview: every tile's figure, computed once on the server (lib/metrics/overview-summary.ts). */
export type Overview = paths["/api/v1/overview"]["get"]["responses"][200]["content"]["application/json"];

export const overviewKeys = { all: ["overview"] as const };

export function useOverview(initialData?: Overview) {
  const refetchInterval = useLiveRefetchInterval();
  return useQuery({ queryKey: overviewKeys.all, queryFn: () => unwrap(api.GET("/api/v1/overview")), refetchInterval, initialData });
}
