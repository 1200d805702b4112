"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { parseTimeRange, timeRangeParams } from "@/lib/dashboard/time-range";
import type { TimeRange } from "@/lib/dashboard/time-range";

/**
 * A page's view state (range, filters, sort, search) lives in the URL, so a view can be shared and
 * survives a reload. `setParams` merges: null or "" removes a parameter; it replaces the history
 * entry (a filter change is not a page to go back to) and keeps the scroll position.
 */
export function useUrlParams() {
  const params = useSearchParams();
  const pathname = usePathname();
  const setParams = useCallback(
    (changes: Record<string, string | null | undefined>) => {
      // Read the live URL, not the render's snapshot: two changes in one event must both land.
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === undefined || value === "") next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      const url = query ? `${pathname}?${query}` : pathname;
      // Next's router follows native history calls (useSearchParams updates) without refetching the
      // server page, which router.replace would do on these dynamic pages; and the address changes
      // at once, so a second change in the same tick reads the first.
      window.history.replaceState(null, "", url);
    },
    [pathname],
  );
  return [params, setParams] as const;
}

/** A chart's time range in the URL (`?range=` or `?from=&to=`); see lib/dashboard/time-range.ts. */
export function useTimeRangeParam<K extends string>(presets: readonly K[], fallback: K) {
  const [params, setParams] = useUrlParams();
  const range = parseTimeRange(params, presets, fallback);
  const setRange = useCallback((next: TimeRange<K>) => setParams(timeRangeParams(next)), [setParams]);
  return [range, setRange] as const;
}
