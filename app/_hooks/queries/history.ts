"use client";

import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { playerKeys } from "./players";
import type { MutationResult } from "./players";
import type { StatDefinition } from "@/lib/stats/stat-definition";

/** The API's stat declarations (the same shape the server uses). */
export type StatDefinitionDto = StatDefinition;

export interface PlayerStateDto {
  playerId: string;
  eventId: number | null;
  version: number;
  at: string | null;
  stats: Record<string, number>;
}

export interface StatDiff {
  stat: string;
  now: number;
  after: number;
}

export interface RestorePreviewDto {
  version: number;
  eventId: number | null;
  at: string | null;
  diff: StatDiff[];
}

export interface RevertPreviewDto {
  version: number;
  changeIds: string[];
  diff: StatDiff[];
}

export const statKeys = { all: ["stats"] as const };
export const historyKeys = {
  all: (playerId: string) => [...playerKeys.all, "history", playerId] as const,
  stateAt: (playerId: string, eventId: number) => [...historyKeys.all(playerId), "state", eventId] as const,
  restorePreview: (playerId: string, eventId: number) => [...historyKeys.all(playerId), "restore-preview", eventId] as const,
  revertPreview: (playerId: string, changeId: string) => [...historyKeys.all(playerId), "revert-preview", changeId] as const,
};

export function useStatDefinitions() {
  return useQuery(queryOptions({ queryKey: statKeys.all, queryFn: () => apiFetch<{ items: StatDefinitionDto[] }>("/api/v1/stats"), staleTime: 30_000 }));
}

/** Every stat as it was right after a ledger event (the "as of" control). */
export function usePlayerStateAt(playerId: string, eventId: number | null) {
  return useQuery({
    queryKey: historyKeys.stateAt(playerId, eventId ?? 0),
    queryFn: () => apiFetch<PlayerStateDto>(`/api/v1/players/${encodeURIComponent(playerId)}/state${queryString({ event: eventId })}`),
    enabled: eventId !== null,
  });
}

export function useRestorePreview(playerId: string, eventId: number | null) {
  return useQuery({
    queryKey: historyKeys.restorePreview(playerId, eventId ?? 0),
    queryFn: () => apiFetch<RestorePreviewDto>(`/api/v1/players/${encodeURIComponent(playerId)}/restore-preview${queryString({ event: eventId })}`),
    enabled: eventId !== null,
  });
}

export function useRevertPreview(playerId: string, changeId: string | null) {
  return useQuery({
    queryKey: historyKeys.revertPreview(playerId, changeId ?? ""),
    queryFn: () => apiFetch<RevertPreviewDto>(`/api/v1/players/${encodeURIComponent(playerId)}/revert-preview${queryString({ changeId })}`),
    enabled: changeId !== null,
  });
}

/** Restore or revert, version-checked with the preview's version; every player query is refreshed after. */
export function useUndo(playerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { kind: "restore"; event: number; reason: string; version: number } | { kind: "revert"; changeId: string; reason: string; version: number }) =>
      apiFetch<MutationResult>(`/api/v1/players/${encodeURIComponent(playerId)}/${input.kind}`, {
        method: "POST",
        headers: { "If-Match": `"${input.version}"`, "Idempotency-Key": crypto.randomUUID() },
        json: input.kind === "restore" ? { event: input.event, reason: input.reason } : { changeId: input.changeId, reason: input.reason },
      }),
    onSettled: () => client.invalidateQueries({ queryKey: playerKeys.all }),
  });
}

/** A support correction of one declared stat (set, with a reason; If-Match on the version shown). */
export function useCorrectStat(playerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { stat: string; value: number; reason: string; version: number }) =>
      apiFetch<MutationResult>(`/api/v1/players/${encodeURIComponent(playerId)}/stats`, {
        method: "POST",
        headers: { "If-Match": `"${input.version}"`, "Idempotency-Key": crypto.randomUUID() },
        json: { changes: [{ stat: input.stat, op: "set", value: input.value }], reason: input.reason },
      }),
    onSettled: () => client.invalidateQueries({ queryKey: playerKeys.all }),
  });
}
