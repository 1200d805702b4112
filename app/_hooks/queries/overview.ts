"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";

export interface Overview {
  playersTotal: number;
  playersOnline: number;
  playersDead: number;
  playersMortallyWounded: number;
  errorsLastHour: number;
  healthFloor: number;
}

export const overviewKeys = { all: ["overview"] as const };

export function useOverview() {
  const { refetchInterval } = useRefresh();
  return useQuery({ queryKey: overviewKeys.all, queryFn: () => apiFetch<Overview>("/api/v1/overview"), refetchInterval });
}
