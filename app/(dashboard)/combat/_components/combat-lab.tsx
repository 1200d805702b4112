"use client";

import Link from "next/link";
import { useState } from "react";
import type { FormEvent } from "react";
import { Panel } from "@/app/_components/ui/panel";
import { HealthBar, StatusBadge } from "@/app/_components/ui/player-status";
import { useSession } from "@/app/_components/session-context";
import { useCreateEncounter, useEncounter, useEncounterAction, useEncounters, useNpcPresets } from "@/app/_hooks/queries/combat";
import type { EncounterView } from "@/app/_hooks/queries/combat";
import { usePlayer, usePlayerLedger, usePlayerList } from "@/app/_hooks/queries/players";
import { formatDateTime, formatNumber } from "@/app/_lib/format";
import type { PlayerStatus } from "@/lib/players/health-rules";

const outcomeLabels: Record<string, string> = { npc_defeated: "NPC defeated", player_dead: "player died", round_limit: "round limit reached" };

/**
 * The combat lab: set up an encounter (player vs NPC preset), step it or run it live, disconnect
 * the player mid-fight, and watch health and the ledger move. Service and admin roles may run
 * encounters; everyone else can watch.
 */
export function CombatLab() {
  const { isAdmin } = useSession();
  const [encounterId, setEncounterId] = useState<string | null>(null);
  const encounter = useEncounter(encounterId);

  return (
    <div className="page">
      <div className="page-header">
        <h1>Combat lab</h1>
      </div>
      {isAdmin ? <SetupForm onCreated={setEncounterId} /> : <p className="muted">Running encounters needs the admin role; you can watch encounters others start.</p>}
      <EncounterList selected={encounterId} onWatch={setEncounterId} />
      {encounter.data ? <EncounterPanel encounter={encounter.data} canRun={isAdmin} /> : encounter.error ? <p className="form-error">{encounter.error.message}</p> : null}
    </div>
  );
}

function SetupForm({ onCreated }: { onCreated: (id: string) => void }) {
  const [search, setSearch] = useState("");
  const players = usePlayerList({ search, limit: 50, sort: "name", order: "asc" });
  const npcs = useNpcPresets();
  const create = useCreateEncounter();
  const [playerId, setPlayerId] = useState("");
  const [npc, setNpc] = useState("dr-francis-morgan");
  const [mode, setMode] = useState<"deterministic" | "live">("deterministic");
  const [seed, setSeed] = useState("1");
  const [interval, setIntervalSeconds] = useState("6");

  function submit(event: FormEvent) {
    event.preventDefault();
    const seedValue = seed.trim() === "" ? undefined : Number(seed);
    create.mutate(
      { playerId, npc, mode, seed: seedValue, ...(mode === "live" ? { roundIntervalMs: Math.round(Number(interval) * 1000) } : {}) },
      { onSuccess: (created) => onCreated(created.id) },
    );
  }

  return (
    <Panel title="New encounter">
      <form className="lab-form" onSubmit={submit}>
        <label className="field">
          Find player
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Name contains…" />
        </label>
        <div className="field">
          <label htmlFor="lab-player">Player</label>
          <select id="lab-player" value={playerId} onChange={(event) => setPlayerId(event.target.value)} required>
            <option value="">Choose a player…</option>
            {(players.data?.items ?? []).map((player) => (
              <option key={player.id} value={player.id}>
                {player.name} ({player.health}/{player.maxHealth} HP, {player.experiencePoints} XP)
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="lab-npc">NPC</label>
          <select id="lab-npc" value={npc} onChange={(event) => setNpc(event.target.value)}>
            {(npcs.data?.items ?? []).map((preset) => (
              <option key={preset.key} value={preset.key}>
                {preset.name} ({preset.health} HP, {preset.attackDamage} damage, {preset.experienceReward} XP)
              </option>
            ))}
          </select>
        </div>
        <fieldset className="mode">
          <legend>Clock</legend>
          <label>
            <input type="radio" name="clock" checked={mode === "deterministic"} onChange={() => setMode("deterministic")} /> Step by step (seeded)
          </label>
          <label>
            <input type="radio" name="clock" checked={mode === "live"} onChange={() => setMode("live")} /> Live
          </label>
        </fieldset>
        <label className="field">
          Seed
          <input inputMode="numeric" value={seed} onChange={(event) => setSeed(event.target.value)} />
        </label>
        {mode === "live" ? (
          <label className="field">
            Seconds per round
            <input inputMode="decimal" value={interval} onChange={(event) => setIntervalSeconds(event.target.value)} />
          </label>
        ) : null}
        <div className="lab-submit">
          <button type="submit" className="button primary" disabled={!playerId || create.isPending}>
            Start encounter
          </button>
          {create.error ? (
            <span className="form-error" role="alert">
              {create.error.message}
            </span>
          ) : null}
        </div>
      </form>
    </Panel>
  );
}

function EncounterPanel({ encounter, canRun }: { encounter: EncounterView; canRun: boolean }) {
  const { healthFloor } = useSession();
  const action = useEncounterAction(encounter.id);
  const player = usePlayer(encounter.player.id);
  // The newest page of the ledger (newest first), not the oldest rows.
  const events = usePlayerLedger(encounter.player.id, {}, undefined);
  const [rounds, setRounds] = useState("1");
  const running = encounter.status === "running";
  const current = player.data ?? null;
  const recentLedger = (events.data?.items ?? []).slice(0, 8);

  return (
    <>
      <Panel
        title={`${encounter.player.name} vs ${encounter.npc.name}`}
        actions={
          <span className="muted">
            {encounter.mode === "live" ? `live, every ${(encounter.roundIntervalMs ?? 0) / 1000} s` : `seed ${encounter.seed}`} · round {encounter.roundsPlayed} ·{" "}
            <strong className={running ? "" : "warn"}>{running ? "running" : encounter.status === "failed" ? "failed" : `over: ${outcomeLabels[encounter.outcome ?? ""] ?? encounter.outcome}`}</strong>
          </span>
        }
      >
        <div className="fighters">
          <div>
            <div className="muted">Player {encounter.player.connected ? "(connected)" : "(disconnected — fighting on)"}</div>
            <div className="fighter-name">
              <Link href={`/players/${encounter.player.id}`}>{encounter.player.name}</Link>{" "}
              {current ? <StatusBadge status={current.status as PlayerStatus} /> : null}
            </div>
            {current ? (
              <>
                <HealthBar health={current.health} maxHealth={current.maxHealth} floor={healthFloor} />
                <div className="muted">
                  Health <span data-testid="player-health">{current.health}</span> · XP <span data-testid="player-xp">{formatNumber(current.experiencePoints)}</span> · version {current.version}
                </div>
              </>
            ) : null}
          </div>
          <div>
            <div className="muted">NPC</div>
            <div className="fighter-name">{encounter.npc.name}</div>
            <HealthBar health={Math.max(0, encounter.npc.health)} maxHealth={encounter.npc.maxHealth} floor={0} />
            <div className="muted">{encounter.npc.attackDamage} damage per hit · {encounter.npc.experienceReward} XP reward</div>
          </div>
        </div>
        {encounter.error ? (
          <p className="form-error" role="alert">
            {encounter.error.message}
          </p>
        ) : null}
        {canRun ? (
          <div className="actions">
            {encounter.mode === "deterministic" ? (
              <>
                <label className="field inline">
                  Rounds
                  <input inputMode="numeric" value={rounds} onChange={(event) => setRounds(event.target.value)} style={{ width: 64 }} />
                </label>
                <button type="button" className="button primary" disabled={!running || action.isPending} onClick={() => action.mutate({ kind: "rounds", rounds: Number(rounds) || 1 })}>
                  Advance
                </button>
              </>
            ) : null}
            <button type="button" className="button secondary" disabled={!running || !encounter.player.connected || action.isPending} onClick={() => action.mutate({ kind: "disconnect" })}>
              Disconnect player
            </button>
            {action.error ? (
              <span className="form-error" role="alert">
                {action.error.message}
              </span>
            ) : null}
          </div>
        ) : null}
      </Panel>
      <div className="grid-2">
        <Panel title="Round log" state={{ isPending: false, error: null, isEmpty: encounter.rounds.length === 0, emptyText: "No rounds yet." }}>
          <ol className="round-log" aria-label="Round log">
            {encounter.rounds
              .slice()
              .reverse()
              .map((round) => (
                <li key={round.round}>
                  <strong>Round {round.round}</strong> {round.summary}
                </li>
              ))}
          </ol>
        </Panel>
        <Panel
          title="Ledger (latest)"
          actions={<Link href={`/players/${encounter.player.id}`}>Health timeline →</Link>}
          state={{ isPending: events.isPending, error: events.error, isEmpty: recentLedger.length === 0, emptyText: "No ledger rows yet." }}
        >
          <div className="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Field</th>
                <th className="num">Before → after</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {recentLedger.map((event) => (
                <tr key={event.id}>
                  <td>{formatDateTime(event.at)}</td>
                  <td>{event.field}</td>
                  <td className="num">
                    {event.before} → {event.after}
                  </td>
                  <td>{event.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </Panel>
      </div>
    </>
  );
}

/**
 * Every encounter this instance holds, newest first: what a game master picks from to watch one.
 * (Encounters live in the memory of the instance that started them; behind a load balancer, the
 * list shows the encounters of the instance that answered.)
 */
function EncounterList({ selected, onWatch }: { selected: string | null; onWatch: (id: string) => void }) {
  const encounters = useEncounters();
  const items = encounters.data?.items ?? [];
  return (
    <Panel
      title="Encounters"
      state={{ isPending: encounters.isPending, error: encounters.error, isEmpty: items.length === 0, emptyText: "No encounters on this instance yet." }}
    >
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>Started (UTC)</th>
              <th>Player</th>
              <th>NPC</th>
              <th>Mode</th>
              <th className="num">Round</th>
              <th>State</th>
              <th>Watch</th>
            </tr>
          </thead>
          <tbody>
            {items.map((encounter) => (
              <tr key={encounter.id} aria-selected={encounter.id === selected}>
                <td>{formatDateTime(encounter.createdAt)}</td>
                <td>
                  <Link href={`/players/${encodeURIComponent(encounter.player.id)}`}>{encounter.player.name}</Link>
                </td>
                <td>{encounter.npc.name}</td>
                <td>{encounter.mode}</td>
                <td className="num">{encounter.roundsPlayed}</td>
                <td>{encounter.status === "running" ? "running" : encounter.status === "failed" ? "failed" : (outcomeLabels[encounter.outcome ?? ""] ?? encounter.status)}</td>
                <td>
                  <button type="button" className="button secondary" disabled={encounter.id === selected} onClick={() => onWatch(encounter.id)} aria-label={`Watch ${encounter.player.name} vs ${encounter.npc.name}`}>
                    {encounter.id === selected ? "Watching" : "Watch"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
