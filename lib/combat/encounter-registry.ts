import { randomInt, randomUUID } from "node:crypto";
import { AppError } from "../errors/app-error.ts";
import type { Logger } from "../logging/logger.ts";
import { getPlayerOrThrow } from "../persistence/get-player.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { parseInput } from "../validation/parse-input.ts";
import { Encounter } from "./encounter.ts";
import type { EncounterSummary, EncounterView } from "./encounter.ts";
import { createEncounterSchema, encounterIdSchema, roundCountSchema } from "./encounter-inputs.ts";
import type { CreateEncounterInput } from "./encounter-inputs.ts";
import { npcPresets } from "./npc-presets.ts";

/** The seed a deterministic encounter uses when none is given. */
export const DEFAULT_SEED = 1;

export interface EncounterRegistryOptions {
  persistence: PersistenceContext;
  /** Live mode's time between rounds when the request names none (COMBAT_ROUND_INTERVAL_MS). */
  defaultRoundIntervalMs: number;
  /** At most this many encounters are held; finished ones are evicted first. */
  maxEncounters?: number;
  /** Finished encounters (and deterministic ones nobody advanced) are dropped after this long. */
  retentionMs?: number;
  now?: () => number;
}

/**
 * The process's combat encounters, in memory: they do not survive a restart (the player state
 * they wrote does — it is in the database and the ledger). Bounded: finished encounters and
 * deterministic ones idle for `retentionMs` expire; at `maxEncounters` the oldest finished one is
 * evicted, and if every encounter is still running, creating another is refused.
 */
export class EncounterRegistry {
  private readonly encounters = new Map<string, Encounter>();
  private readonly persistence: PersistenceContext;
  private readonly logger: Logger;
  private readonly defaultRoundIntervalMs: number;
  private readonly maxEncounters: number;
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(options: EncounterRegistryOptions) {
    this.persistence = options.persistence;
    this.logger = options.persistence.logger;
    this.defaultRoundIntervalMs = options.defaultRoundIntervalMs;
    this.maxEncounters = options.maxEncounters ?? 1_000;
    this.retentionMs = options.retentionMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Starts an encounter. The player must exist (player_not_found) and not be dead (player_dead);
   * live encounters start their clock at once. `createdBy` is recorded on the encounter.
   */
  async create(input: CreateEncounterInput, createdBy: string): Promise<EncounterView> {
    const request = parseInput(createEncounterSchema, input, "encounter");
    this.sweep();
    const { player } = await getPlayerOrThrow(this.persistence, request.playerId);
    if (player.status === "dead") {
      throw new AppError("player_dead", `Player ${player.id} is dead (health ${player.health}); respawn them before starting an encounter`, {
        extensions: { playerId: player.id },
      });
    }
    this.makeRoom();
    const npc = request.npc ? npcPresets[request.npc] : request.customNpc!;
    const encounter = new Encounter({
      id: randomUUID(),
      persistence: this.persistence,
      logger: this.logger,
      mode: request.mode,
      seed: request.seed ?? (request.mode === "deterministic" ? DEFAULT_SEED : randomInt(0, 2 ** 32 - 1)),
      roundIntervalMs: request.mode === "live" ? (request.roundIntervalMs ?? this.defaultRoundIntervalMs) : null,
      playerDamage: request.playerDamage,
      npc: { name: npc.name, health: npc.health, attackDamage: npc.attackDamage, experienceReward: npc.experienceReward },
      npcKey: request.npc ?? null,
      player,
      createdBy,
      now: this.now,
    });
    this.encounters.set(encounter.id, encounter);
    encounter.startClock();
    this.logger.info({ module: "combat", encounterId: encounter.id, playerId: player.id, npc: npc.name, mode: request.mode, createdBy }, "encounter started");
    return encounter.view();
  }

  /** Plays 1–100 rounds (fewer if the encounter ends first); encounter_finished once it has ended. */
  async advance(encounterId: string, rounds: number): Promise<EncounterView> {
    const count = parseInput(roundCountSchema, rounds, "rounds");
    const encounter = this.encounterOrThrow(encounterId);
    await encounter.advance(count);
    return encounter.view();
  }

  /** Marks the player disconnected; the fight goes on without them at the keyboard. */
  disconnect(encounterId: string): EncounterView {
    const encounter = this.encounterOrThrow(encounterId);
    encounter.disconnect();
    return encounter.view();
  }

  getEncounterOrThrow(encounterId: string): EncounterView {
    return this.encounterOrThrow(encounterId).view();
  }

  /** Newest first, without round logs. */
  list(): EncounterSummary[] {
    this.sweep();
    return [...this.encounters.values()].reverse().map((encounter) => encounter.summary());
  }

  /** Stops every live clock and forgets all encounters (tests, shutdown). */
  close(): void {
    for (const encounter of this.encounters.values()) encounter.close();
    this.encounters.clear();
  }

  private encounterOrThrow(encounterId: string): Encounter {
    const id = parseInput(encounterIdSchema, encounterId, "encounter id");
    const encounter = this.encounters.get(id);
    if (!encounter) {
      throw new AppError("encounter_not_found", `No encounter with id ${id} in this process (encounters are kept in memory and do not survive a restart)`, {
        extensions: { encounterId: id },
      });
    }
    return encounter;
  }

  private sweep(): void {
    const cutoff = this.now() - this.retentionMs;
    for (const [id, encounter] of this.encounters) {
      const ended = encounter.endedAt;
      const expired = ended !== null ? ended < cutoff : encounter.mode === "deterministic" && encounter.lastActivity < cutoff;
      if (!expired) continue;
      encounter.close();
      this.encounters.delete(id);
    }
  }

  private makeRoom(): void {
    if (this.encounters.size < this.maxEncounters) return;
    // Map iteration is insertion order: the first finished one found is the oldest.
    for (const [id, encounter] of this.encounters) {
      if (encounter.running) continue;
      encounter.close();
      this.encounters.delete(id);
      return;
    }
    throw new AppError("too_many_encounters", `This process already runs ${this.encounters.size} encounters; let some finish or try again later`);
  }
}
