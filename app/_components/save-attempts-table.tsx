"use client";

import Link from "next/link";
import { Panel } from "@/app/_components/ui/panel";
import { useSaveAttempts } from "@/app/_hooks/queries/saves";
import type { SaveAttempt, SaveAttemptFilter } from "@/app/_hooks/queries/saves";
import { formatDateTime } from "@/app/_lib/format";

/** What a save did to which fields, in words: "XP from the save; health kept from others". */
function describeFields(attempt: SaveAttempt): string {
  const { fromSave = [], keptFromOthers = [], combined = [], conflicts = [] } = attempt.fields;
  const parts = [
    fromSave.length ? `from the save: ${fromSave.join(", ")}` : "",
    keptFromOthers.length ? `kept from others: ${keptFromOthers.join(", ")}` : "",
    combined.length ? `combined: ${combined.join(", ")}` : "",
    conflicts.length ? `conflicting: ${conflicts.join(", ")}` : "",
  ].filter(Boolean);
  if (parts.length > 0) return parts.join("; ");
  return attempt.outcome === "refused" ? (attempt.code ?? "refused") : "—";
}

/**
 * Whole-save attempts (applied, merged, refused): the record a support agent needs for "my health
 * went back to 100" — which version the game saved, when, and what the save did with each field.
 */
export function SaveAttemptsTable({ filter, title = "Save attempts", showPlayer = false }: { filter: SaveAttemptFilter; title?: string; showPlayer?: boolean }) {
  const saves = useSaveAttempts(filter);
  const items = saves.data?.items ?? [];
  return (
    <Panel title={title} state={{ isPending: saves.isPending, error: saves.error, isEmpty: items.length === 0, emptyText: "No whole saves recorded." }}>
      <div className="table-scroll" tabIndex={0}>
      <table>
        <caption className="sr-only">{title}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {showPlayer ? <th scope="col">Player</th> : null}
            <th scope="col">Outcome</th>
            <th scope="col">Saved version</th>
            <th scope="col">Met → result</th>
            <th scope="col">Fields</th>
            <th scope="col">Caller</th>
            <th scope="col">Request</th>
          </tr>
        </thead>
        <tbody>
          {items.map((attempt) => (
            <tr key={attempt.id}>
              <td>{formatDateTime(attempt.at)}</td>
              {showPlayer ? (
                <td>
                  <Link href={`/players/${encodeURIComponent(attempt.playerId)}`}>{attempt.playerId}</Link>
                </td>
              ) : null}
              <td>{attempt.outcome}</td>
              <td>{attempt.baseVersion}</td>
              <td>
                {attempt.currentVersion ?? "—"} → {attempt.resultVersion ?? "refused"}
              </td>
              <td>{describeFields(attempt)}</td>
              <td>{attempt.actor}</td>
              <td>{attempt.requestId ? <Link href={`/errors?requestId=${encodeURIComponent(attempt.requestId)}`}>{attempt.requestId.slice(0, 12)}</Link> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </Panel>
  );
}
