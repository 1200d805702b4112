"use client";

import { useCallback, useSyncExternalStore } from "react";

/**
 * A game master's short list of watched players, kept in this browser (localStorage): it is a
 * personal view, not shared state, so it needs no table or route. At most MAX_WATCHED, the bound the
 * activity API's `players` filter takes.
 */
export interface WatchedPlayer {
  id: string;
  name: string;
}

const KEY = "pnakotic.watched-players";
export const MAX_WATCHED = 20;
const listeners = new Set<() => void>();
const empty: WatchedPlayer[] = [];
let cache: { text: string | null; list: WatchedPlayer[] } = { text: null, list: empty };

function read(): WatchedPlayer[] {
  const text = window.localStorage.getItem(KEY);
  if (text === cache.text) return cache.list;
  let list: WatchedPlayer[] = empty;
  try {
    const parsed: unknown = text ? JSON.parse(text) : [];
    if (Array.isArray(parsed)) list = parsed.filter((item): item is WatchedPlayer => typeof item?.id === "string" && typeof item?.name === "string").slice(0, MAX_WATCHED);
  } catch {
    // A hand-edited or foreign value: start an empty list rather than break the page.
    list = empty;
  }
  cache = { text, list };
  return list;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => event.key === KEY && listener();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useWatchedPlayers() {
  const watched = useSyncExternalStore(subscribe, read, () => empty);
  const write = useCallback((list: WatchedPlayer[]) => {
    window.localStorage.setItem(KEY, JSON.stringify(list.slice(0, MAX_WATCHED)));
    for (const listener of listeners) listener();
  }, []);
  const watch = useCallback((player: WatchedPlayer) => write([...read().filter((item) => item.id !== player.id), player]), [write]);
  const unwatch = useCallback((id: string) => write(read().filter((item) => item.id !== id)), [write]);
  const isWatched = useCallback((id: string) => watched.some((item) => item.id === id), [watched]);
  return { watched, watch, unwatch, isWatched, full: watched.length >= MAX_WATCHED };
}
