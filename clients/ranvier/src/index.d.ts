import type { EventEmitter } from "node:events";
import type { PnakoticClient, StaleDataError } from "@pnakotic/client";

/** Which Ranvier attribute is Pnakotic's health (default "health"), and which become declared stats. */
export interface AttributeMap {
  health?: string;
  /** Ranvier attribute name → Pnakotic stat key, e.g. { mana: "mana", sanity: "lucidity" }. */
  stats?: Record<string, string>;
}

export interface PnakoticRanvierOptions {
  baseUrl?: string;
  token?: string;
  /** Or a client you built (`createPnakoticClient` from @pnakotic/client). */
  client?: PnakoticClient;
  attributeMap?: AttributeMap;
  logger?: { warn(line: string): void; error(line: string): void };
}

export interface Refusal {
  what: string;
  name?: string;
  playerId?: string;
  status: number;
  code: string;
  message: string;
}

export type WriteOutcome = { ok: true; player: unknown } | { ok: false; refused: Refusal } | { ok: false; error: unknown };

/** The record each Ranvier object carries on its metadata (its Pnakotic id and the version it read). */
export interface PnakoticRecord {
  id: string;
  name: string;
  version: number;
  health: number;
  max: number;
  dead: boolean;
}

// Ranvier has no types of its own; its objects are typed loosely here.
type RanvierPlayer = { name: string; metadata: Record<string | symbol, unknown> };

export interface PnakoticRanvier {
  client: PnakoticClient;
  /** For ranvier.json's player entity loader: fetch, update (PlayerManager.save), exists. */
  dataSource: {
    name: string;
    hasData(): Promise<boolean>;
    fetch(config: unknown, name: string): Promise<Record<string, unknown>>;
    update(config: unknown, name: string, data: Record<string, unknown>): Promise<WriteOutcome>;
    exists(name: string): Promise<boolean>;
  };
  /** A bundle's player-events export: `module.exports = pnakotic.bundle`. */
  bundle: { listeners: Record<string, (state: unknown) => (this: RanvierPlayer, ...args: unknown[]) => void> };
  /** "written", "refused" (a Refusal), "merged", "failed". Never "error": nothing here can crash the game. */
  events: EventEmitter;
  idle(player?: RanvierPlayer): Promise<void>;
  recordOf(player: RanvierPlayer): PnakoticRecord | undefined;
  workarounds: {
    saveAll(playerManager: unknown): Promise<void>;
    loadPlayer(playerManager: unknown, state: unknown, account: unknown, name: string, force?: boolean): Promise<RanvierPlayer>;
    exists(name: string): Promise<boolean>;
  };
}

export function createPnakoticRanvier(options: PnakoticRanvierOptions): PnakoticRanvier;
export const PNAKOTIC: unique symbol;
export { StaleDataError };
