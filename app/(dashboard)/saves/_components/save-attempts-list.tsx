"use client";

import { SaveAttemptsTable } from "@/app/_components/save-attempts-table";
import { useUrlParams } from "@/app/_hooks/use-url-params";
import type { SaveAttempt } from "@/app/_hooks/queries/saves";

const outcomes = ["", "applied", "merged", "refused"] as const;

/** Every player's whole-save attempts; the overview's "stale saves" tile links here with ?outcome=refused. */
export function SaveAttemptsList() {
  const [params, setParams] = useUrlParams();
  const raw = params.get("outcome") ?? "";
  const outcome = (outcomes as readonly string[]).includes(raw) && raw ? (raw as SaveAttempt["outcome"]) : undefined;
  return (
    <div className="page">
      <div className="page-header">
        <h1>Whole saves</h1>
        <label>
          Outcome{" "}
          <select value={outcome ?? ""} onChange={(event) => setParams({ outcome: event.target.value })}>
            {outcomes.map((value) => (
              <option key={value} value={value}>
                {value || "all"}
              </option>
            ))}
          </select>
        </label>
      </div>
      <SaveAttemptsTable filter={{ outcome }} title={outcome ? `Saves ${outcome}` : "All saves"} showPlayer />
    </div>
  );
}
