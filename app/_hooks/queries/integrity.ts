"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";

export interface IntegrityFinding {
  id: number | string;
  kind: string;
  severity: string;
  playerId: string;
  playerName?: string | null;
  message: string;
  detail?: Record<string, unknown> | null;
}

/** A test player purged with its ledger (POST /api/v1/players/{id}/purge): recorded, not tampering. */
export interface IntegrityPurge {
  playerId: string;
  playerName: string;
  testTag: string;
  ledgerRows: number;
  purgedAt: string;
  purgedBy: string;
}

export interface IntegrityReport {
  run: {
    id: number | string;
    status?: "queued" | "running" | "finished" | "stopped" | "failed";
    startedAt: string;
    finishedAt: string | null;
    trigger: string;
    playersScanned: number;
    eventsScanned: number;
    findingCount: number;
  } | null;
  findings: IntegrityFinding[];
  purges: IntegrityPurge[];
}

export const integrityKeys = {
  all: ["integrity"] as const,
  latest: () => [...integrityKeys.all, "latest"] as const,
  player: (playerId: string) => [...integrityKeys.all, "player", playerId] as const,
};

export function useIntegrityReport() {
  const { refetchInterval } = useRefresh();
  return useQuery({ queryKey: integrityKeys.latest(), queryFn: () => apiFetch<IntegrityReport>("/api/v1/integrity"), refetchInterval });
}

export function usePlayerIntegrityFlags(playerId: string) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: integrityKeys.player(playerId),
    queryFn: () => apiFetch<IntegrityReport>(`/api/v1/integrity${queryString({ playerId })}`),
    refetchInterval,
  });
}

export function useRunIntegrityCheck() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<IntegrityReport>("/api/v1/integrity/runs", { method: "POST", headers: { "Idempotency-Key": crypto.randomUUID() } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: integrityKeys.all }),
  });
}
