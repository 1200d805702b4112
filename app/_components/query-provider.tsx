"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useMemo, useState } from "react";
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
  const [intervalMs, setIntervalMs] = useState(10_000);
  const [paused, setPaused] = useState(false);
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
