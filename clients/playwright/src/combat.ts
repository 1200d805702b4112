import type { Encounter, EncounterSetup, Player, PlayerMutation, PlayerSave, PnakoticClient } from "@pnakotic/client";

/** A player or its id. */
export type PlayerRef = string | { id: string };
export const idOf = (player: PlayerRef): string => (typeof player === "string" ? player : player.id);

/** Damage as a game server deals it: health − amount, clamped at the floor. Returns the new state and its ledger row. */
export function hit(client: PnakoticClient, player: PlayerRef, amount: number, details: { damageType?: string; source?: string } = {}): Promise<PlayerMutation> {
  return client.damagePlayer(idOf(player), { amount, ...details });
}

/** Healing, clamped at maxHealth (refused with player_dead for the dead). */
export function heal(client: PnakoticClient, player: PlayerRef, amount: number, details: { source?: string } = {}): Promise<PlayerMutation> {
  return client.healPlayer(idOf(player), { amount, ...details });
}

/** Experience points; the level follows. */
export function award(client: PnakoticClient, player: PlayerRef, experience: number, details: { source?: string } = {}): Promise<PlayerMutation> {
  return client.gainExperience(idOf(player), { amount: experience, ...details });
}

export type EncounterOptions = Omit<EncounterSetup, "playerId" | "mode">;

/**
 * A fight in the server's combat simulator, in deterministic mode: nothing happens until you play a
 * round, and the same seed plays the same fight every time. Each call returns the encounter after it.
 */
export class ScriptedEncounter {
  private constructor(
    private readonly client: PnakoticClient,
    public state: Encounter,
  ) {}

  static async start(client: PnakoticClient, player: PlayerRef, options: EncounterOptions): Promise<ScriptedEncounter> {
    const state = await client.createEncounter({ seed: 1, ...options, playerId: idOf(player), mode: "deterministic" });
    return new ScriptedEncounter(client, state);
  }

  get id(): string {
    return this.state.id;
  }

  /** Plays one round (or `count`), fewer if the fight ends. */
  async round(count = 1): Promise<Encounter> {
    this.state = await this.client.advanceEncounter(this.state.id, count);
    return this.state;
  }

  /** The player drops out; the fight goes on without them (the seed story's disconnect). */
  async disconnect(): Promise<Encounter> {
    this.state = await this.client.disconnectEncounterPlayer(this.state.id);
    return this.state;
  }

  /** Round after round until the fight is over (at most `maxRounds`). */
  async untilOver(maxRounds = 100): Promise<Encounter> {
    for (let played = 0; this.state.status === "running" && played < maxRounds; played += 1) await this.round();
    if (this.state.status === "running") throw new Error(`encounter ${this.state.id} still running after ${maxRounds} rounds`);
    return this.state;
  }
}

/** Starts a deterministic encounter for `player` (seed 1 unless given). */
export function startEncounter(client: PnakoticClient, player: PlayerRef, options: EncounterOptions): Promise<ScriptedEncounter> {
  return ScriptedEncounter.start(client, player, options);
}

/** Reads the player as the server holds it now. */
export function readPlayer(client: PnakoticClient, player: PlayerRef): Promise<Player> {
  return client.getPlayer(idOf(player));
}

/**
 * What GET returned, as a whole save's body (PUT /api/v1/players/{id} takes exactly that): the
 * document types JSON members of a read as unknown and of a save as JSON values, and a read's JSON
 * members are JSON by construction.
 */
export function asSave(player: Player, changes: Partial<PlayerSave> = {}): PlayerSave {
  return { ...(player as unknown as PlayerSave), ...changes };
}
