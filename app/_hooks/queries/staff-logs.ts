"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, queryString } from "@/app/_lib/api-client";
import { useRefresh } from "@/app/_components/query-provider";

export interface ErrorEntry {
  id: number;
  at: string;
  level: "error" | "fatal";
  module: string;
  message: string;
  context: Record<string, unknown> | null;
  stack: string | null;
  requestId: string | null;
}

export interface AuditItem {
  id: number;
  at: string;
  actor: string;
  action: string;
  playerId: string | null;
  playerName: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  requestId: string | null;
}

export interface ErrorFilters {
  level?: string;
  module?: string;
  since?: string;
}
export interface AuditFilters {
  actor?: string;
  action?: string;
  playerId?: string;
}

export const errorKeys = { all: ["errors"] as const, list: (filters: ErrorFilters) => [...errorKeys.all, "list", filters] as const };
export const auditKeys = { all: ["audit"] as const, list: (filters: AuditFilters) => [...auditKeys.all, "list", filters] as const };

export function useErrorLog(filters: ErrorFilters) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: errorKeys.list(filters),
    queryFn: () => apiFetch<{ items: ErrorEntry[]; nextCursor: string | null; modules: string[] }>(`/api/v1/errors${queryString({ ...filters, limit: 200 })}`),
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}

export function useAuditLog(filters: AuditFilters) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: auditKeys.list(filters),
    queryFn: () => apiFetch<{ items: AuditItem[]; nextCursor: string | null }>(`/api/v1/audit${queryString({ ...filters, limit: 200 })}`),
    refetchInterval,
    placeholderData: keepPreviousData,
  });
}
