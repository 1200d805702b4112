"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { Panel } from "@/app/_components/ui/panel";
import { HealthBar, StatusBadge } from "@/app/_components/ui/player-status";
import { useSession } from "@/app/_components/session-context";
import { useUrlParams } from "@/app/_hooks/use-url-params";
import { usePlayerList } from "@/app/_hooks/queries/players";
import { formatDateTime, formatNumber, formatRelative } from "@/app/_lib/format";
import { playerStatuses } from "@/lib/players/health-rules";
import type { PlayerStatus } from "@/lib/players/health-rules";

const columns = [
  { key: "name", label: "Name" },
  { key: "health", label: "Health (%)", numeric: true },
  { key: null, label: "Status" },
  { key: "experiencePoints", label: "XP", numeric: true },
  { key: "level", label: "Level", numeric: true },
  { key: null, label: "Room" },
  { key: "lastActiveAt", label: "Last active" },
  { key: "version", label: "Version", numeric: true },
] as const;

const PAGE_SIZE = 25;

export function PlayersTable() {
  const { healthFloor } = useSession();
  // Search, status filter, sort and order live in the URL (shareable, kept on reload); the page cursor does not.
  const [params, setParams] = useUrlParams();
  const search = params.get("q") ?? "";
  const [searchInput, setSearchInput] = useState(search);
  // The overview's "dead" tile links here with ?status=dead.
  const status: PlayerStatus | "" = playerStatuses.find((value) => value === params.get("status")) ?? "";
  const sort = columns.some((column) => column.key !== null && column.key === params.get("sort")) ? params.get("sort")! : "name";
  const order: "asc" | "desc" = params.get("order") === "desc" || (params.get("order") === null && sort !== "name") ? "desc" : "asc";
  // Cursor pagination: the cursors of the pages visited so far, so "Previous" works.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];

  // Search as you type, but not on every keystroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (searchInput.trim() === search) return;
      setParams({ q: searchInput.trim() });
      setCursors([undefined]);
    }, 250);
    return () => clearTimeout(timer);
  }, [searchInput, search, setParams]);

  const players = usePlayerList({ search, status: status || undefined, sort, order, limit: PAGE_SIZE, cursor });
  const items = players.data?.items ?? [];

  function sortBy(key: string) {
    if (sort === key) setParams({ order: order === "asc" ? "desc" : "asc" });
    else setParams({ sort: key === "name" ? null : key, order: null });
    setCursors([undefined]);
  }

  return (
    <div className="page">
      <div className="page-header">
        <h1>Players</h1>
        <label className="field inline">
          Search players
          <input type="search" value={searchInput} onChange={(event) => setSearchInput(event.target.value)} placeholder="Name, id prefix or room…" />
        </label>
        <div className="field inline">
          <label htmlFor="players-status">Status</label>
          <select
            id="players-status"
            value={status}
            onChange={(event) => {
              setParams({ status: event.target.value });
              setCursors([undefined]);
            }}
          >
            <option value="">all</option>
            <option value="alive">alive</option>
            <option value="mortally_wounded">mortally wounded</option>
            <option value="dead">dead</option>
          </select>
        </div>
      </div>
      <Panel
        title={players.data ? `${formatNumber(players.data.total)} players` : "Players"}
        state={{ isPending: players.isPending, error: players.error, isEmpty: items.length === 0, emptyText: search ? `No player matches “${search}”.` : "No players yet." }}
      >
        <div className="table-scroll" tabIndex={0}>
          <table className="cards-on-phone cards-keep-head" aria-label="Players">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.label} className={"numeric" in column && column.numeric ? "num" : undefined} aria-sort={column.key && sort === column.key ? (order === "asc" ? "ascending" : "descending") : undefined}>
                    {column.key ? (
                      <button type="button" className="sort" onClick={() => sortBy(column.key!)}>
                        {column.label}
                        {sort === column.key ? (order === "asc" ? " ▲" : " ▼") : ""}
                      </button>
                    ) : (
                      column.label
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((player) => (
                <tr key={player.id}>
                  <td data-label="Name" className="truncate" title={player.name}>
                    <Link href={`/players/${player.id}`}>{player.name}</Link>
                  </td>
                  <td data-label="Health" className="num">
                    <HealthBar health={player.health} maxHealth={player.maxHealth} floor={healthFloor} />
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={player.status} />
                  </td>
                  <td data-label="XP" className="num">{formatNumber(player.experiencePoints)}</td>
                  <td data-label="Level" className="num">{player.level}</td>
                  <td data-label="Room" className="truncate" title={player.currentRoomId ?? undefined}>
                    {player.currentRoomId ?? "—"}
                  </td>
                  <td data-label="Last active" title={formatDateTime(player.lastActiveAt)}>{formatRelative(player.lastActiveAt)}</td>
                  <td data-label="Version" className="num">{player.version}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="pager">
          <button type="button" className="button secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </button>
          <span className="muted">Page {cursors.length}</span>
          <button
            type="button"
            className="button secondary"
            disabled={!players.data?.nextCursor}
            onClick={() => players.data?.nextCursor && setCursors([...cursors, players.data.nextCursor])}
          >
            Next
          </button>
        </div>
      </Panel>
    </div>
  );
}
