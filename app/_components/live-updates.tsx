"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { invalidateForChange } from "@/app/_hooks/queries/live";
import type { LiveChange } from "@/lib/live/live-hub";
import { useRefresh } from "./query-provider";
import { LiveContext, useLiveState } from "./live-state";
import type { LiveState } from "./live-state";

/** After the server refused a stream (503) or the browser gave up, try again this much later. */
const RECONNECT_AFTER_MS = 15_000;

/** One EventSource per tab on GET /api/v1/live; each `change` invalidates the affected queries by key. */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { paused } = useRefresh();
  const [state, setState] = useState<LiveState>(paused ? "paused" : "connecting");
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (paused) {
      setState("paused");
      return;
    }
    setState("connecting");
    const source = new EventSource("/api/v1/live");
    let opened = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener("ready", () => {
      // Whatever changed while the stream was down (or before this tab connected) was not pushed.
      if (opened) invalidateForChange(queryClient, { kind: "all", reason: "gap" });
      opened = true;
      setState("live");
    });
    source.addEventListener("change", (event) => {
      invalidateForChange(queryClient, JSON.parse((event as MessageEvent<string>).data) as LiveChange);
    });
    source.onerror = () => {
      setState("polling");
      // EventSource retries a dropped connection by itself, but not a refused one (503, 401).
      if (source.readyState === EventSource.CLOSED) retry = setTimeout(() => setAttempt((n) => n + 1), RECONNECT_AFTER_MS);
    };
    return () => {
      clearTimeout(retry);
      source.close();
    };
  }, [paused, attempt, queryClient]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

const labels: Record<LiveState, string> = { connecting: "Connecting…", live: "Live", polling: "Polling", paused: "Paused" };

/** The visible live/paused state, for the header. */
export function LiveStatus() {
  const state = useLiveState();
  return (
    <span className={`live-status live-${state}`} role="status" aria-label={`Updates: ${labels[state]}`} title={state === "polling" ? "The live stream is down; refreshing on the interval" : undefined}>
      <span className={`live-dot ${state === "live" ? "" : "paused"}`} aria-hidden="true" />
      {labels[state]}
    </span>
  );
}
