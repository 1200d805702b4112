import Database from "better-sqlite3";
import type { EncounterView } from "../../lib/combat/encounter.ts";

/**
 * Helpers for writing a combat check in a few lines, from vitest API tests or Playwright: plain
 * `fetch` against a running server, and a read-only better-sqlite3 connection for what the
 * database really holds (never through the app).
 *
 *   const server = { baseUrl, token };                       // a service (or admin) bearer token
 *   const player = await createPlayer(server, { name: "Ithaqua", experiencePoints: 554 });
 *   const fight = await createEncounter(server, { playerId: player.id, npc: "dr-francis-morgan" });
 *   await advanceUntil(server, fight.id, (e) => e.player.health <= 80);
 *   await disconnectPlayer(server, fight.id);
 *   await advanceUntil(server, fight.id, (e) => e.status !== "running");
 *   expect(readPlayerFromDatabase(databaseFile, player.id)).toMatchObject({ health: 70, experiencePoints: 555 });
 */

/** Where to send requests and as whom: a bearer token, or a staff session cookie ("pnakotic_session=…"). */
export type CombatTarget = { baseUrl: string } & ({ token: string } | { cookie: string });

export type Encounter = EncounterView;

export interface CreatedPlayer {
  id: string;
  name: string;
  health: number;
  maxHealth: number;
  experiencePoints: number;
  level: number;
  version: number;
  status: string;
}

export interface PlayerRow {
  id: string;
  name: string;
  health: number;
  maxHealth: number;
  experiencePoints: number;
  level: number;
  version: number;
}

export interface LedgerRow {
  id: number;
  field: string;
  before: number;
  after: number;
  delta: number;
  reason: string;
  actor: string;
  requestId: string | null;
}

export interface EncounterSetup {
  playerId: string;
  /** A preset key (GET /api/v1/combat/npcs); defaults to "dr-francis-morgan" unless customNpc is given. */
  npc?: string;
  customNpc?: { name: string; health: number; attackDamage: number; experienceReward: number };
  mode?: "deterministic" | "live";
  seed?: number;
  roundIntervalMs?: number;
  playerDamage?: { min: number; max: number };
}

/** A non-2xx answer, with the problem+json body the server sent. */
export class CombatApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} failed: HTTP ${status} ${JSON.stringify(body)}`);
    this.name = "CombatApiError";
  }
}

let created = 0;

async function request<T>(target: CombatTarget, method: string, path: string, body: unknown, what: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if ("token" in target) headers.Authorization = `Bearer ${target.token}`;
  else {
    headers.Cookie = target.cookie;
    // Cookie-authenticated mutations must carry this server's Origin (CSRF check).
    headers.Origin = target.baseUrl;
  }
  const response = await fetch(`${target.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) throw new CombatApiError(response.status, parsed, what);
  return parsed as T;
}

/** Creates a player through the API (a unique name unless given); 100/100 HP and 0 XP by default. */
export async function createPlayer(
  target: CombatTarget,
  fields: { name?: string; maxHealth?: number; health?: number; experiencePoints?: number } = {},
): Promise<CreatedPlayer> {
  created += 1;
  const name = fields.name ?? `combat-${process.pid}-${Date.now()}-${created}`;
  return request<CreatedPlayer>(target, "POST", "/api/v1/players", { ...fields, name }, `create player ${name}`);
}

/** Starts an encounter (deterministic against Dr. Francis Morgan unless told otherwise). */
export async function createEncounter(target: CombatTarget, setup: EncounterSetup): Promise<Encounter> {
  const body = { ...setup, npc: setup.customNpc ? setup.npc : (setup.npc ?? "dr-francis-morgan") };
  return request<Encounter>(target, "POST", "/api/v1/combat/encounters", body, "create encounter");
}

/** Plays `rounds` rounds (1–100; fewer if the encounter ends). */
export async function advanceRounds(target: CombatTarget, encounterId: string, rounds = 1): Promise<Encounter> {
  return request<Encounter>(target, "POST", `/api/v1/combat/encounters/${encounterId}/rounds`, { rounds }, `advance encounter ${encounterId}`);
}

/**
 * Plays one round at a time until `done(encounter)` holds, and returns that encounter. Fails if the
 * encounter ends first without `done` holding, or after `maxRounds`.
 */
export async function advanceUntil(
  target: CombatTarget,
  encounterId: string,
  done: (encounter: Encounter) => boolean,
  { maxRounds = 100 } = {},
): Promise<Encounter> {
  let encounter = await getEncounter(target, encounterId);
  for (let played = 0; !done(encounter); played += 1) {
    if (encounter.status !== "running") throw new Error(`encounter ${encounterId} ended (${encounter.outcome ?? encounter.status}) before the condition held`);
    if (played >= maxRounds) throw new Error(`condition did not hold within ${maxRounds} rounds of encounter ${encounterId}`);
    encounter = await advanceRounds(target, encounterId, 1);
  }
  return encounter;
}

/** The player disconnects; combat goes on on the server. */
export async function disconnectPlayer(target: CombatTarget, encounterId: string): Promise<Encounter> {
  return request<Encounter>(target, "POST", `/api/v1/combat/encounters/${encounterId}/disconnect`, undefined, `disconnect from encounter ${encounterId}`);
}

export async function getEncounter(target: CombatTarget, encounterId: string): Promise<Encounter> {
  return request<Encounter>(target, "GET", `/api/v1/combat/encounters/${encounterId}`, undefined, `read encounter ${encounterId}`);
}

/** Polls (live mode) until `done(encounter)` holds or `timeoutMs` passes. */
export async function waitForEncounter(target: CombatTarget, encounterId: string, done: (encounter: Encounter) => boolean, { timeoutMs = 10_000, pollMs = 50 } = {}): Promise<Encounter> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const encounter = await getEncounter(target, encounterId);
    if (done(encounter)) return encounter;
    if (Date.now() > deadline) throw new Error(`encounter ${encounterId} did not reach the condition within ${timeoutMs} ms (status ${encounter.status}, ${encounter.roundsPlayed} rounds)`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function withDatabase<T>(databaseFile: string, read: (db: Database.Database) => T): T {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The player's row as stored, read straight from the SQLite file; undefined if there is none. */
export function readPlayerFromDatabase(databaseFile: string, playerId: string): PlayerRow | undefined {
  return withDatabase(
    databaseFile,
    (db) =>
      db
        .prepare(`SELECT "id", "name", "health", "maxHealth", "experiencePoints", "level", "version" FROM "Player" WHERE "id" = ?`)
        .get(playerId) as PlayerRow | undefined,
  );
}

/** The player's ledger (PlayerEvent rows), oldest first, read straight from the SQLite file. */
export function readLedgerFromDatabase(databaseFile: string, playerId: string): LedgerRow[] {
  return withDatabase(
    databaseFile,
    (db) =>
      db
        .prepare(`SELECT "id", "field", "before", "after", "delta", "reason", "actor", "requestId" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id"`)
        .all(playerId) as LedgerRow[],
  );
}
