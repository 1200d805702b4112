import Database from "better-sqlite3";
import { PnakoticApiError, createPnakoticClient } from "../../clients/typescript/src/client.ts";
import type { CreatePlayerInput, Encounter as ClientEncounter, EncounterSetup as ClientEncounterSetup, PnakoticClient, Player } from "../../clients/typescript/src/client.ts";

/**
 * Helpers for writing a combat check in a few lines, from vitest API tests or Playwright: the typed
 * client (@pnakotic/client, generated from the OpenAPI document, so these checks also prove the
 * document against the server) and a read-only better-sqlite3 connection for what the database
 * really holds (never through the app).
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

export type Encounter = ClientEncounter;
export type CreatedPlayer = Player;

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

/** POST /api/v1/combat/encounters's body, with `npc` defaulting to "dr-francis-morgan" unless customNpc is given. */
export type EncounterSetup = ClientEncounterSetup;

/** A non-2xx answer, with the problem+json body the server sent (the client's error type). */
export const CombatApiError = PnakoticApiError;
export type CombatApiError = PnakoticApiError;

// One typed client per target (mutations retry with the same Idempotency-Key on network errors).
function clientFor(target: CombatTarget): PnakoticClient {
  return createPnakoticClient("token" in target ? { baseUrl: target.baseUrl, token: target.token } : { baseUrl: target.baseUrl, cookie: target.cookie });
}

let created = 0;

/** Creates a player through the API (a unique name unless given); 100/100 HP and 0 XP by default. */
export async function createPlayer(target: CombatTarget, fields: Partial<CreatePlayerInput> = {}): Promise<CreatedPlayer> {
  created += 1;
  const name = fields.name ?? `combat-${process.pid}-${Date.now()}-${created}`;
  return clientFor(target).createPlayer({ ...fields, name });
}

/** Starts an encounter (deterministic against Dr. Francis Morgan unless told otherwise). */
export async function createEncounter(target: CombatTarget, setup: EncounterSetup): Promise<Encounter> {
  return clientFor(target).createEncounter({ ...setup, npc: setup.customNpc ? setup.npc : (setup.npc ?? "dr-francis-morgan") });
}

/** Plays `rounds` rounds (1–100; fewer if the encounter ends). */
export async function advanceRounds(target: CombatTarget, encounterId: string, rounds = 1): Promise<Encounter> {
  return clientFor(target).advanceEncounter(encounterId, rounds);
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
  return clientFor(target).disconnectEncounterPlayer(encounterId);
}

export async function getEncounter(target: CombatTarget, encounterId: string): Promise<Encounter> {
  return clientFor(target).getEncounter(encounterId);
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
