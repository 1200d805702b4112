"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";
import { playerKeys } from "./players";

export interface NpcPreset {
  key: string;
  name: string;
  health: number;
  attackDamage: number;
  experienceReward: number;
}

// The server's own view types (type-only imports: nothing server-side reaches the browser bundle).
export type { EncounterView, RoundLogEntry } from "@/lib/combat/encounter";
import type { EncounterSummary, EncounterView } from "@/lib/combat/encounter";

export const combatKeys = {
  all: ["combat"] as const,
  npcs: () => [...combatKeys.all, "npcs"] as const,
  list: () => [...combatKeys.all, "list"] as const,
  encounter: (id: string) => [...combatKeys.all, "encounter", id] as const,
};

/** Every encounter of the answering instance (summaries); refreshed every 2 s while one runs. */
export function useEncounters() {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: combatKeys.list(),
    queryFn: () => apiFetch<{ items: EncounterSummary[] }>("/api/v1/combat/encounters"),
    refetchInterval: (query) => (query.state.data?.items.some((encounter) => encounter.status === "running") ? 2_000 : refetchInterval),
  });
}

export function useNpcPresets() {
  return useQuery({ queryKey: combatKeys.npcs(), queryFn: () => apiFetch<{ items: NpcPreset[] }>("/api/v1/combat/npcs"), staleTime: 60_000 });
}

/** A running live encounter is watched every second; otherwise the page's refresh interval applies. */
export function useEncounter(id: string | null) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: combatKeys.encounter(id ?? "none"),
    queryFn: () => apiFetch<EncounterView>(`/api/v1/combat/encounters/${encodeURIComponent(id!)}`),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data?.mode === "live" && query.state.data.status === "running" ? 1_000 : refetchInterval),
  });
}

export function useCreateEncounter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { playerId: string; npc: string; mode: "deterministic" | "live"; seed?: number; roundIntervalMs?: number }) =>
      apiFetch<EncounterView>("/api/v1/combat/encounters", { method: "POST", json: input, headers: { "Idempotency-Key": crypto.randomUUID() } }),
    onSuccess: (encounter) => {
      queryClient.setQueryData(combatKeys.encounter(encounter.id), encounter);
      void queryClient.invalidateQueries({ queryKey: combatKeys.list() });
    },
  });
}

export function useEncounterAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: { kind: "rounds"; rounds: number } | { kind: "disconnect" }) =>
      apiFetch<EncounterView>(`/api/v1/combat/encounters/${encodeURIComponent(id)}/${action.kind}`, {
        method: "POST",
        json: action.kind === "rounds" ? { rounds: action.rounds } : {},
        headers: { "Idempotency-Key": crypto.randomUUID() },
      }),
    onSuccess: (encounter) => queryClient.setQueryData(combatKeys.encounter(id), encounter),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: combatKeys.encounter(id) });
      void queryClient.invalidateQueries({ queryKey: playerKeys.all });
    },
  });
}
