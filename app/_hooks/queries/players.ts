"use client";

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { useLiveRefetchInterval } from "@/app/_components/live-state";
import type { LedgerEvent } from "@/lib/dashboard/chart-data";
import type { PlayerStatus } from "@/lib/players/health-rules";
import type { PlayerTimeline, timelineRanges } from "@/lib/players/player-timeline";

export type TimelineRange = keyof typeof timelineRanges;
/** A custom (absolute) window, epoch ms: the console's custom range and drag-to-zoom. */
export interface TimelineWindow {
  from: number;
  to: number;
}
export interface LedgerFilters {
  field?: string;
}

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
  /** Declared stats beyond the built-ins (GET /api/v1/stats). */
  stats?: Record<string, number>;
  version: number;
  createdAt: string;
  updatedAt: string;
  lastActiveAt: string;
}

export interface PlayerListFilters {
  search?: string;
  status?: PlayerStatus;
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
  lists: () => [...playerKeys.all, "list"] as const,
  list: (filters: PlayerListFilters) => [...playerKeys.lists(), filters] as const,
  detail: (id: string) => [...playerKeys.all, "detail", id] as const,
  eventsOf: (id: string) => [...playerKeys.all, "events", id] as const,
  /** Named ranges only: the server takes "now", so the key never holds a timestamp and never freezes. */
  timeline: (id: string, field: string, range: TimelineRange | TimelineWindow) => [...playerKeys.eventsOf(id), "timeline", field, range] as const,
  ledger: (id: string, filters: LedgerFilters) => [...playerKeys.eventsOf(id), "ledger", filters] as const,
};

export function usePlayerList(filters: PlayerListFilters) {
  const refetchInterval = useLiveRefetchInterval();
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
  const refetchInterval = useLiveRefetchInterval();
  return useQuery({ ...playerDetailQuery(id), refetchInterval });
}

/** One field's chart data, shaped and downsampled on the server (GET /api/v1/players/{id}/timeline). */
export function usePlayerTimeline(id: string, field: string, range: TimelineRange | TimelineWindow) {
  const refetchInterval = useLiveRefetchInterval();
  const query = typeof range === "string" ? { field, range } : { field, since: new Date(range.from).toISOString(), until: new Date(range.to).toISOString() };
  return useQuery({
    queryKey: playerKeys.timeline(id, field, range),
    queryFn: () => apiFetch<PlayerTimeline>(`/api/v1/players/${encodeURIComponent(id)}/timeline${queryString(query)}`),
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}

export const LEDGER_PAGE_SIZE = 200;

/**
 * One page of the ledger, newest first; the page's nextCursor leads to older rows, for as far back
 * as the player goes. A live change refetches only the page on screen.
 */
export function usePlayerLedger(id: string, filters: LedgerFilters, cursor: string | undefined) {
  const refetchInterval = useLiveRefetchInterval();
  return useQuery({
    queryKey: [...playerKeys.ledger(id, filters), cursor ?? "newest"] as const,
    queryFn: () =>
      apiFetch<{ items: LedgerEvent[]; nextCursor: string | null }>(
        `/api/v1/players/${encodeURIComponent(id)}/events${queryString({ order: "desc", limit: LEDGER_PAGE_SIZE, field: filters.field, cursor })}`,
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
