"use client";

import type { QueryClient } from "@tanstack/react-query";
import type { LiveChange } from "@/lib/live/live-hub";
import { activityKeys } from "./activity";
import { overviewKeys } from "./overview";
import { playerKeys } from "./players";

/**
 * What a live `change` event makes stale: the changed players' detail and ledger, every player list
 * (a change can move a player between pages, filters and sort positions) and the overview counts.
 * and the activity feed. `all` (a bus gap, a burst, or a reconnect after missed events) refetches every player query.
 */
export function invalidateForChange(queryClient: QueryClient, change: LiveChange): void {
  if (change.kind === "all") {
    void queryClient.invalidateQueries({ queryKey: playerKeys.all });
  } else {
    for (const id of change.ids) {
      void queryClient.invalidateQueries({ queryKey: playerKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: playerKeys.eventsOf(id) });
    }
    void queryClient.invalidateQueries({ queryKey: playerKeys.lists() });
  }
  void queryClient.invalidateQueries({ queryKey: overviewKeys.all });
  // Any write can be an incident (a death, a big hit, a correction): the feed refetches its pages.
  void queryClient.invalidateQueries({ queryKey: activityKeys.all });
}
