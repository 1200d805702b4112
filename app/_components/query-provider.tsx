"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { createContext, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError } from "@/app/_lib/api-client";

interface RefreshSettings {
  intervalMs: number;
  paused: boolean;
  setIntervalMs: (ms: number) => void;
  setPaused: (paused: boolean) => void;
  /** What react-query's refetchInterval should be right now. */
  refetchInterval: number | false;
}

const DEFAULT_INTERVAL_MS = 10_000;
/** The refresh choice as it appears in the URL (`?refresh=30s`, `?refresh=off`). */
const refreshParam: Record<number, string> = { 5_000: "5s", 10_000: "10s", 30_000: "30s", 60_000: "1m" };

function readRefreshParam(value: string | null): { intervalMs: number; paused: boolean } {
  if (value === "off") return { intervalMs: DEFAULT_INTERVAL_MS, paused: true };
  const entry = Object.entries(refreshParam).find(([, name]) => name === value);
  return { intervalMs: entry ? Number(entry[0]) : DEFAULT_INTERVAL_MS, paused: false };
}

/**
 * Keeps `?refresh=` in the address on every page (the choice lives in this provider, which outlives
 * navigation; links between pages do not carry it), so a reload or a shared link keeps it.
 */
function useRefreshInUrl(intervalMs: number, paused: boolean) {
  const pathname = usePathname();
  const params = useSearchParams();
  useEffect(() => {
    const wanted = paused ? "off" : intervalMs === DEFAULT_INTERVAL_MS ? null : (refreshParam[intervalMs] ?? null);
    if (params.get("refresh") === wanted) return;
    const next = new URLSearchParams(window.location.search);
    if (wanted === null) next.delete("refresh");
    else next.set("refresh", wanted);
    const query = next.toString();
    window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
  }, [intervalMs, paused, pathname, params]);
}

const RefreshContext = createContext<RefreshSettings | null>(null);

/** Live data: every panel polls at the interval chosen in the header, unless paused. */
export function useRefresh(): RefreshSettings {
  const settings = useContext(RefreshContext);
  if (!settings) throw new Error("useRefresh outside QueryProvider");
  return settings;
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 2_000,
            // Caller mistakes and missing rights do not get better by retrying.
            retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
          },
        },
      }),
  );
  const initialParam = useSearchParams().get("refresh");
  const [intervalMs, setIntervalMs] = useState(() => readRefreshParam(initialParam).intervalMs);
  const [paused, setPaused] = useState(() => readRefreshParam(initialParam).paused);
  useRefreshInUrl(intervalMs, paused);
  const settings = useMemo(
    () => ({ intervalMs, paused, setIntervalMs, setPaused, refetchInterval: paused ? (false as const) : intervalMs }),
    [intervalMs, paused],
  );
  return (
    <QueryClientProvider client={client}>
      <RefreshContext.Provider value={settings}>{children}</RefreshContext.Provider>
    </QueryClientProvider>
  );
}
