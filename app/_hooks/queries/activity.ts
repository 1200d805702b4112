"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/app/_lib/api";
import { useLiveRefetchInterval } from "@/app/_components/live-state";
import type { paths } from "@/clients/typescript/src/schema";

export type ActivityQuery = NonNullable<paths["/api/v1/activity"]["get"]["parameters"]["query"]>;
type ActivityFilters = Omit<ActivityQuery, "cursor" | "limit">;

/** GET /api/v1/activity: the live stream invalidates `activityKeys.all` on every change. */
export const activityKeys = {
  all: ["activity"] as const,
  list: (filters: ActivityFilters) => [...activityKeys.all, "list", filters] as const,
};

const PAGE_SIZE = 50;

/** Pages of incidents, newest first; `fetchNextPage` walks further back through the ledger. */
export function useActivity(filters: ActivityFilters) {
  const refetchInterval = useLiveRefetchInterval();
  return useInfiniteQuery({
    queryKey: activityKeys.list(filters),
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/activity", { params: { query: { ...filters, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}
