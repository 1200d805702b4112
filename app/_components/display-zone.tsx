"use client";

import { createContext, useContext, useState } from "react";
import type { ReactNode } from "react";
import { setDisplayZone } from "@/app/_lib/format";
import { DISPLAY_ZONE_COOKIE } from "@/lib/dashboard/time-axis";
import type { DisplayZone } from "@/lib/dashboard/time-axis";



const DisplayZoneContext = createContext<{ zone: DisplayZone; setZone: (zone: DisplayZone) => void } | null>(null);

export function useDisplayZone() {
  const context = useContext(DisplayZoneContext);
  if (!context) throw new Error("useDisplayZone outside DisplayZoneProvider");
  return context;
}

/**
 * Local time or UTC, chosen in the header and kept in a cookie (a year) so the server layout
 * knows it on the next visit. The children are keyed by the zone so every date re-renders.
 */
export function DisplayZoneProvider({ initialZone, children }: { initialZone: DisplayZone; children: ReactNode }) {
  const [zone, setZoneState] = useState(initialZone);
  if (typeof window !== "undefined") setDisplayZone(zone);
  function setZone(next: DisplayZone) {
    document.cookie = `${DISPLAY_ZONE_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    setDisplayZone(next);
    setZoneState(next);
  }
  return (
    <DisplayZoneContext.Provider value={{ zone, setZone }}>
      <div key={zone} className="zone-scope">
        {children}
      </div>
    </DisplayZoneContext.Provider>
  );
}

export function DisplayZoneToggle() {
  const { zone, setZone } = useDisplayZone();
  return (
    <div className="segmented" role="radiogroup" aria-label="Show times in">
      {(["local", "utc"] as const).map((option) => (
        <button key={option} type="button" role="radio" aria-checked={zone === option} className={zone === option ? "selected" : ""} onClick={() => setZone(option)}>
          {option === "utc" ? "UTC" : "Local"}
        </button>
      ))}
    </div>
  );
}
