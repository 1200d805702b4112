"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { Panel } from "@/app/_components/ui/panel";
import { useActivity } from "@/app/_hooks/queries/activity";
import type { ActivityQuery } from "@/app/_hooks/queries/activity";
import { useUrlParams } from "@/app/_hooks/use-url-params";
import { useWatchedPlayers } from "@/app/_hooks/use-watched-players";
import { formatDateTime, formatNumber } from "@/app/_lib/format";
import { activityKindLabels, activityKinds, DEFAULT_BIG_HIT } from "@/lib/activity/activity-kinds";
import type { ActivityKind } from "@/lib/activity/activity-kinds";

const kindBadge: Record<ActivityKind, string> = {
  death: "death",
  wounded: "mortally wounded",
  big_hit: "big hit",
  heal_of_dead: "heal of the dead",
  correction: "correction",
  save: "save",
  integrity: "integrity",
};

const isKind = (value: string | null): value is ActivityKind => value !== null && (activityKinds as readonly string[]).includes(value);

/**
 * The server-wide activity feed (issue 25, item 1): what is happening now, fed by the live stream
 * (every `change` invalidates it). Filters live in the URL, so an overview tile can link to the
 * list it counts; the watched list is this browser's.
 */
export function ActivityFeed() {
  const [params, setParams] = useUrlParams();
  const kindParam = params.get("kind");
  const kind = isKind(kindParam) ? kindParam : undefined;
  const bigHit = Number(params.get("bigHit")) >= 1 ? Math.floor(Number(params.get("bigHit"))) : DEFAULT_BIG_HIT;
  const watchedOnly = params.get("watched") === "1";
  const { watched, unwatch } = useWatchedPlayers();
  const [bigHitInput, setBigHitInput] = useState(String(bigHit));
  useEffect(() => {
    const timer = setTimeout(() => {
      const value = Number(bigHitInput);
      if (Number.isInteger(value) && value >= 1 && value !== bigHit) setParams({ bigHit: value === DEFAULT_BIG_HIT ? null : String(value) });
    }, 300);
    return () => clearTimeout(timer);
  }, [bigHitInput, bigHit, setParams]);

  const filters: Omit<ActivityQuery, "cursor" | "limit"> = {
    ...(kind ? { kind } : {}),
    ...(bigHit !== DEFAULT_BIG_HIT ? { bigHit } : {}),
    ...(watchedOnly ? { players: watched.map((player) => player.id).join(",") } : {}),
  };
  const noWatched = watchedOnly && watched.length === 0;
  const activity = useActivity(filters);
  const items = noWatched ? [] : (activity.data?.pages.flatMap((page) => page.items) ?? []);
  const lastPage = activity.data?.pages.at(-1);

  return (
    <div className="page">
      <div className="page-header">
        <h1>Activity</h1>
        <div className="filters">
          <div className="field inline">
            <label htmlFor="activity-kind">Show</label>
            <select id="activity-kind" value={kind ?? ""} onChange={(event) => setParams({ kind: event.target.value })}>
              <option value="">every incident</option>
              {activityKinds.map((value) => (
                <option key={value} value={value}>
                  {activityKindLabels[value]}
                </option>
              ))}
            </select>
          </div>
          <label className="field inline">
            Big hit from
            <input type="number" min={1} inputMode="numeric" className="narrow-input" value={bigHitInput} onChange={(event) => setBigHitInput(event.target.value)} />
          </label>
          <label className="field inline checkbox">
            <input type="checkbox" checked={watchedOnly} onChange={(event) => setParams({ watched: event.target.checked ? "1" : null })} />
            Watched players only
          </label>
        </div>
      </div>
      <Panel title="Watched players">
        {watched.length === 0 ? (
          <p className="muted">Nobody yet: use “Watch” on a player’s page or on a row below.</p>
        ) : (
          <ul className="watched-list">
            {watched.map((player) => (
              <li key={player.id}>
                <Link href={`/players/${player.id}`}>{player.name}</Link>
                <button type="button" className="button secondary small" onClick={() => unwatch(player.id)} aria-label={`Stop watching ${player.name}`}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel
        title="Incidents"
        state={{
          isPending: activity.isPending && !noWatched,
          error: activity.error,
          isEmpty: items.length === 0 && !lastPage?.nextCursor,
          emptyText: noWatched ? "No watched players yet." : kind === "save" ? "No saves in the newest ledger rows. Refused stale saves appear here once the save-attempts record lands." : "Nothing matches in the newest ledger rows.",
        }}
      >
        <table className="cards-on-phone activity-table" aria-label="Incidents">
          <thead>
            <tr>
              <th>When</th>
              <th>Player</th>
              <th>What</th>
              <th>Change</th>
              <th>By</th>
              <th>Record</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td data-label="When">
                  <time dateTime={item.at}>{formatDateTime(item.at)}</time>
                </td>
                <td data-label="Player">
                  <Link href={`/players/${item.playerId}`}>{item.playerName}</Link>
                  <WatchButton player={{ id: item.playerId, name: item.playerName }} />
                </td>
                <td data-label="What">
                  {item.kinds.map((value) => (
                    <span key={value} className={`badge kind-${value}`}>
                      {kindBadge[value]}
                    </span>
                  ))}
                </td>
                <td data-label="Change">
                  {item.source === "integrity" ? (
                    <span className={item.severity === "error" ? "bad-text" : undefined}>{item.message}</span>
                  ) : (
                    <>
                      {item.field} {formatNumber(item.before ?? 0)} → {formatNumber(item.after ?? 0)} <span className="muted">({item.reason})</span>
                    </>
                  )}
                </td>
                <td data-label="By">{item.actor ?? "integrity check"}</td>
                <td data-label="Record">
                  {item.eventId !== null ? (
                    <Link href={`/players/${item.playerId}?event=${item.eventId}#as-of`} aria-label={`Event #${item.eventId} of ${item.playerName}`}>
                      event #{item.eventId}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {lastPage?.nextCursor && !noWatched ? (
          <p className="load-more">
            <button type="button" className="button secondary" disabled={activity.isFetchingNextPage} onClick={() => void activity.fetchNextPage()}>
              {activity.isFetchingNextPage ? "Loading…" : "Look further back"}
            </button>
            <span className="muted"> Looked through ledger rows #{formatNumber(lastPage.scanned.fromEventId)}–#{formatNumber(lastPage.scanned.toEventId)}.</span>
          </p>
        ) : null}
      </Panel>
    </div>
  );
}

/** Adds or removes a player from this browser's watched list. */
export function WatchButton({ player }: { player: { id: string; name: string } }) {
  const { watch, unwatch, isWatched, full } = useWatchedPlayers();
  const watching = isWatched(player.id);
  return (
    <button
      type="button"
      className="button secondary small watch-button"
      aria-pressed={watching}
      disabled={!watching && full}
      onClick={() => (watching ? unwatch(player.id) : watch(player))}
      aria-label={watching ? `Stop watching ${player.name}` : `Watch ${player.name}`}
    >
      {watching ? "Watching" : "Watch"}
    </button>
  );
}
