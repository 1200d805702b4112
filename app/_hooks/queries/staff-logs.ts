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

/** Named windows: the key holds the name and the timestamp is taken when fetching, so the window keeps moving. */
export const errorWindows = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;
export type ErrorWindow = keyof typeof errorWindows;

export interface ErrorFilters {
  level?: string;
  module?: string;
  requestId?: string;
  /** A named window (moves: its start is taken at each fetch), or … */
  window?: ErrorWindow;
  /** … a fixed custom range. */
  since?: string;
  until?: string;
}
export interface AuditFilters {
  actor?: string;
  action?: string;
  /** A player's id or exact name. */
  player?: string;
  since?: string;
  until?: string;
}

export const errorKeys = { all: ["errors"] as const, list: (filters: ErrorFilters) => [...errorKeys.all, "list", filters] as const };
export const auditKeys = { all: ["audit"] as const, list: (filters: AuditFilters) => [...auditKeys.all, "list", filters] as const };

export function useErrorLog(filters: ErrorFilters) {
  const { refetchInterval } = useRefresh();
  return useQuery({
    queryKey: errorKeys.list(filters),
    queryFn: () => {
      const { window, ...rest } = filters;
      const since = window === undefined ? rest.since : new Date(Date.now() - errorWindows[window]).toISOString();
      return apiFetch<{ items: ErrorEntry[]; nextCursor: string | null; modules: string[] }>(`/api/v1/errors${queryString({ ...rest, since, limit: 200 })}`);
    },
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
