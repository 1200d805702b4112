"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";

export interface SaveAttempt {
  id: number;
  at: string;
  playerId: string;
  baseVersion: number;
  currentVersion: number | null;
  resultVersion: number | null;
  outcome: "applied" | "merged" | "refused";
  code: string | null;
  fields: { fromSave?: string[]; keptFromOthers?: string[]; combined?: string[]; conflicts?: string[] };
  actor: string;
  actorKind: string;
  requestId: string | null;
}

export interface SaveAttemptFilter {
  playerId?: string;
  outcome?: SaveAttempt["outcome"];
}

export const saveKeys = {
  all: ["saves"] as const,
  list: (filter: SaveAttemptFilter) => [...saveKeys.all, "list", filter] as const,
};

/** Whole-save attempts, newest first: one player's, or the server's (GET /api/v1/saves). */
export function useSaveAttempts(filter: SaveAttemptFilter, limit = 20) {
  const { refetchInterval } = useRefresh();
  const path = filter.playerId ? `/api/v1/players/${encodeURIComponent(filter.playerId)}/saves` : "/api/v1/saves";
  return useQuery({
    queryKey: saveKeys.list(filter),
    queryFn: () => apiFetch<{ items: SaveAttempt[]; nextCursor: string | null }>(`${path}${queryString({ outcome: filter.outcome, limit })}`),
    refetchInterval,
  });
}
