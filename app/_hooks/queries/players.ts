"use client";

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";
import type { LedgerEvent } from "@/lib/dashboard/chart-data";
import type { PlayerStatus } from "@/lib/players/health-rules";

export interface PlayerDto {
  id: string;
  name: string;
  currentRoomId: string | null;
  professionId: string | null;
  level: number;
  experiencePoints: number;
  health: number;
  maxHealth: number;
  status: PlayerStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  lastActiveAt: string;
}

export interface PlayerListFilters {
  search?: string;
  sort?: string;
  order?: "asc" | "desc";
  limit?: number;
  cursor?: string;
}

export interface MutationResult {
  player: PlayerDto;
  event: LedgerEvent;
  events: LedgerEvent[];
}

/** One key factory per resource; mutations invalidate by these keys. */
export const playerKeys = {
  all: ["players"] as const,
  list: (filters: PlayerListFilters) => [...playerKeys.all, "list", filters] as const,
  detail: (id: string) => [...playerKeys.all, "detail", id] as const,
  events: (id: string, range: { since?: string }) => [...playerKeys.all, "events", id, range] as const,
};

export function usePlayerList(filters: PlayerListFilters) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: playerKeys.list(filters),
    queryFn: () => apiFetch<{ items: PlayerDto[]; nextCursor: string | null; total: number }>(`/api/v1/players${queryString({ ...filters })}`),
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}

export const playerDetailQuery = (id: string) =>
  queryOptions({ queryKey: playerKeys.detail(id), queryFn: () => apiFetch<PlayerDto>(`/api/v1/players/${encodeURIComponent(id)}`) });

export function usePlayer(id: string) {
  const { refetchInterval } = useRefresh();
  return useQuery({ ...playerDetailQuery(id), refetchInterval });
}

/** The ledger for the timeline: every field, oldest first, within the range. */
export function usePlayerEvents(id: string, range: { since?: string }) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: playerKeys.events(id, range),
    queryFn: () =>
      apiFetch<{ items: LedgerEvent[]; nextCursor: string | null }>(
        `/api/v1/players/${encodeURIComponent(id)}/events${queryString({ since: range.since, limit: 1000 })}`,
      ),
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}

export type HealthCorrectionInput = { health: number; reason: string } | { delta: number; reason: string };

export function useCorrectHealth(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ correction, version }: { correction: HealthCorrectionInput; version: number }) =>
      apiFetch<MutationResult>(`/api/v1/players/${encodeURIComponent(id)}/health-corrections`, {
        method: "POST",
        json: correction,
        headers: { "If-Match": `"${version}"`, "Idempotency-Key": crypto.randomUUID() },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: playerKeys.all }),
  });
}

export function useRespawn(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      apiFetch<MutationResult>(`/api/v1/players/${encodeURIComponent(id)}/respawn`, {
        method: "POST",
        json: reason ? { reason } : {},
        headers: { "Idempotency-Key": crypto.randomUUID() },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: playerKeys.all }),
  });
}

export function useFlushPlayerCache(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>(`/api/v1/players/${encodeURIComponent(id)}/cache`, { method: "DELETE" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: playerKeys.detail(id) }),
  });
}
