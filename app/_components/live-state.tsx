"use client";

import { createContext, useContext } from "react";
import { useRefresh } from "./query-provider";

/**
 * The live stream's state, apart from the provider that drives it (live-updates.tsx), so the query
 * hooks can read it without importing the provider, which imports them: no import loop.
 * connecting → live; a dropped or refused stream → polling (and a new attempt later); paused by the user.
 */
export type LiveState = "connecting" | "live" | "polling" | "paused";

export const LiveContext = createContext<LiveState>("connecting");
/** While the stream is up, push does the work; a slow poll only guards against a silently stuck stream. */
const SAFETY_POLL_MS = 60_000;

export function useLiveState(): LiveState {
  return useContext(LiveContext);
}

/**
 * refetchInterval for queries the live stream keeps fresh (players, player pages, overview,
 * activity): the chosen polling interval only while the stream is down.
 */
export function useLiveRefetchInterval(): number | false {
  const state = useLiveState();
  const { refetchInterval } = useRefresh();
  if (refetchInterval === false) return false;
  return state === "live" ? Math.max(refetchInterval, SAFETY_POLL_MS) : refetchInterval;
}
