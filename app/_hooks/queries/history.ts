"use client";

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { api, unwrap } from "@/app/_lib/api";
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
  stateAt: (playerId: string, moment: Moment) => [...historyKeys.all(playerId), "state", moment] as const,
  step: (playerId: string, eventId: number, direction: LedgerStep) => [...historyKeys.all(playerId), "step", eventId, direction] as const,
  restorePreview: (playerId: string, eventId: number) => [...historyKeys.all(playerId), "restore-preview", eventId] as const,
  revertPreview: (playerId: string, changeId: string) => [...historyKeys.all(playerId), "revert-preview", changeId] as const,
};

export function useStatDefinitions() {
  return useQuery(queryOptions({ queryKey: statKeys.all, queryFn: () => apiFetch<{ items: StatDefinitionDto[] }>("/api/v1/stats"), staleTime: 30_000 }));
}

/** A moment of the retained history: right after a ledger event, or a point in time. */
export type Moment = { event: number } | { at: string };

/** Every stat as it was at a moment (the "as of" control); the answer names the event it reflects. */
export function usePlayerStateAt(playerId: string, moment: Moment | null) {
  return useQuery({
    queryKey: historyKeys.stateAt(playerId, moment ?? { event: 0 }),
    queryFn: () => unwrap(api.GET("/api/v1/players/{id}/state", { params: { path: { id: playerId }, query: moment ?? undefined } })),
    enabled: moment !== null,
    placeholderData: keepPreviousData,
  });
}

/**
 * One ledger row next to an event, for paging the "as of" moment through the whole ledger (not the
 * newest page only): `at` = the player's row with the largest id ≤ eventId, `earlier` / `later`
 * its neighbours. null when there is none.
 */
export type LedgerStep = "at" | "earlier" | "later";
export function useLedgerStep(playerId: string, eventId: number | null, direction: LedgerStep) {
  return useQuery({
    queryKey: historyKeys.step(playerId, eventId ?? 0, direction),
    queryFn: async () => {
      const id = eventId ?? 0;
      const query = direction === "later" ? { order: "asc" as const, cursor: id } : { order: "desc" as const, cursor: direction === "at" ? id + 1 : id };
      const page = await unwrap(api.GET("/api/v1/players/{id}/events", { params: { path: { id: playerId }, query: { ...query, limit: 1 } } }));
      return page.items[0] ?? null;
    },
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

/** A support correction of one declared stat (set or add, with a reason; If-Match on the version reviewed). */
export function useCorrectStat(playerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { stat: string; op: "set" | "add"; value: number; reason: string; version: number }) =>
      apiFetch<MutationResult>(`/api/v1/players/${encodeURIComponent(playerId)}/stats`, {
        method: "POST",
        headers: { "If-Match": `"${input.version}"`, "Idempotency-Key": crypto.randomUUID() },
        json: { changes: [{ stat: input.stat, op: input.op, value: input.value }], reason: input.reason },
      }),
    onSettled: () => client.invalidateQueries({ queryKey: playerKeys.all }),
  });
}
