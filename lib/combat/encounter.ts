import { AppError } from "../errors/app-error.ts";
import type { Logger } from "../logging/logger.ts";
import { damagePlayer } from "../player-operations/damage-player.ts";
import { gainExperience } from "../player-operations/gain-experience.ts";
import { getPlayerOrThrow } from "../persistence/get-player.ts";
import type { PersistenceContext, WriteOptions } from "../persistence/persistence-context.ts";
import type { Player } from "../persistence/player-record.ts";
import type { PlayerStatus } from "../players/health-rules.ts";
import { MAX_ROUNDS_PER_ENCOUNTER } from "./encounter-inputs.ts";
import type { EncounterMode } from "./encounter-inputs.ts";
import type { NpcStats } from "./npc-presets.ts";
import { createSeededRandom } from "./seeded-random.ts";
import type { SeededRandom } from "./seeded-random.ts";

/** The ledger's actor for every write the simulator makes; request ids name the encounter and round. */
export const COMBAT_ACTOR = { name: "combat-simulator", kind: "service" } as const;

export type EncounterStatus = "running" | "finished" | "failed";
export type EncounterOutcome = "npc_defeated" | "player_dead" | "round_limit";

/** What happened in one round, as the round log records it. */
export interface RoundLogEntry {
  round: number;
  at: string;
  /** Whether the player was connected when the round started (combat goes on either way). */
  playerConnected: boolean;
  /** Damage the player dealt; null when the player could not strike (health ≤ 0). */
  playerHit: number | null;
  npcHealthAfter: number;
  /** Damage the NPC dealt; null when it died before striking back. */
  npcHit: number | null;
  experienceGained: number | null;
  playerHealthAfter: number;
  playerStatusAfter: PlayerStatus;
  /** Ledger rows (PlayerEvent ids) this round wrote. */
  eventIds: number[];
  summary: string;
  /** Set when a write failed; the encounter stopped in this round. */
  error?: { code: string; message: string };
}

export interface EncounterPlayerState {
  id: string;
  name: string;
  connected: boolean;
  /** Rounds completed when the player disconnected. */
  disconnectedAfterRound: number | null;
  health: number;
  maxHealth: number;
  status: PlayerStatus;
  experiencePoints: number;
  level: number;
  version: number;
}

export interface EncounterSummary {
  id: string;
  mode: EncounterMode;
  status: EncounterStatus;
  outcome: EncounterOutcome | null;
  error: { code: string; message: string } | null;
  seed: number;
  /** Live mode only. */
  roundIntervalMs: number | null;
  playerDamage: { min: number; max: number };
  roundsPlayed: number;
  player: EncounterPlayerState;
  npc: NpcStats & { key: string | null; maxHealth: number };
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface EncounterView extends EncounterSummary {
  rounds: RoundLogEntry[];
}

export interface EncounterOptions {
  id: string;
  persistence: PersistenceContext;
  logger: Logger;
  mode: EncounterMode;
  seed: number;
  roundIntervalMs: number | null;
  playerDamage: { min: number; max: number };
  npc: NpcStats;
  npcKey: string | null;
  player: Player;
  createdBy: string;
  now: () => number;
}

/**
 * One player against one NPC, in rounds. Each round:
 *   1. the player's current state is read (through the cache, which never serves data older
 *      than a committed write); a player already dead ends the encounter;
 *   2. the player strikes first — damage drawn from the seeded RNG — unless at health ≤ 0
 *      (mortally wounded players cannot fight);
 *   3. if the NPC is at 0 it dies: XP is awarded with gainExperience and the encounter ends;
 *   4. otherwise the NPC strikes back with damagePlayer (the API's damage path); if that leaves
 *      the player at the floor (dead) the encounter ends.
 * Disconnecting only marks the player link-dead: the character keeps fighting, as in the
 * original bug's conditions. Rounds run one at a time per encounter, whoever triggers them (the
 * API or the live clock), so two advance calls can never interleave their writes.
 */
export class Encounter {
  readonly id: string;
  readonly mode: EncounterMode;
  private readonly options: EncounterOptions;
  private readonly random: SeededRandom;
  private readonly rounds: RoundLogEntry[] = [];
  private readonly createdAt: number;
  private status: EncounterStatus = "running";
  private outcome: EncounterOutcome | null = null;
  private error: { code: string; message: string } | null = null;
  private npcHealth: number;
  private player: EncounterPlayerState;
  private updatedAt: number;
  private finishedAt: number | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(options: EncounterOptions) {
    this.options = options;
    this.id = options.id;
    this.mode = options.mode;
    this.random = createSeededRandom(options.seed);
    this.npcHealth = options.npc.health;
    this.createdAt = this.updatedAt = options.now();
    this.player = { ...snapshot(options.player), connected: true, disconnectedAfterRound: null };
  }

  get running(): boolean {
    return this.status === "running";
  }

  /** Last time anything happened (for expiry of abandoned encounters). */
  get lastActivity(): number {
    return this.updatedAt;
  }

  get endedAt(): number | null {
    return this.finishedAt;
  }

  /**
   * Plays up to `count` rounds, stopping early when the encounter ends. Refused (encounter_finished)
   * if it has already ended. A failed write stops the encounter and is rethrown.
   */
  advance(count: number): Promise<void> {
    return this.serialize(async () => {
      this.assertRunning("advance");
      for (let played = 0; played < count && this.running; played += 1) await this.playRound();
    });
  }

  disconnect(): void {
    this.assertRunning("disconnect the player from");
    if (!this.player.connected) return;
    this.player = { ...this.player, connected: false, disconnectedAfterRound: this.rounds.length };
    this.updatedAt = this.options.now();
  }

  /** Live mode: schedules rounds every roundIntervalMs until the encounter ends. */
  startClock(): void {
    if (this.mode !== "live" || !this.running || this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, this.options.roundIntervalMs ?? 0);
    // A live demo must never keep the process alive on its own.
    this.timer.unref();
  }

  /** The registry dropped this encounter (expiry, shutdown): no further live rounds, even one already due. */
  close(): void {
    this.closed = true;
    this.stopClock();
  }

  private stopClock(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  summary(): EncounterSummary {
    const { npc, npcKey, seed, roundIntervalMs, playerDamage, createdBy } = this.options;
    return {
      id: this.id,
      mode: this.mode,
      status: this.status,
      outcome: this.outcome,
      error: this.error,
      seed,
      roundIntervalMs,
      playerDamage,
      roundsPlayed: this.rounds.length,
      player: this.player,
      npc: { key: npcKey, name: npc.name, health: this.npcHealth, maxHealth: npc.health, attackDamage: npc.attackDamage, experienceReward: npc.experienceReward },
      createdBy,
      createdAt: new Date(this.createdAt).toISOString(),
      updatedAt: new Date(this.updatedAt).toISOString(),
      finishedAt: this.finishedAt === null ? null : new Date(this.finishedAt).toISOString(),
    };
  }

  view(): EncounterView {
    return { ...this.summary(), rounds: this.rounds.map((entry) => ({ ...entry, eventIds: [...entry.eventIds] })) };
  }

  private async tick(): Promise<void> {
    try {
      await this.serialize(async () => {
        if (this.running && !this.closed) await this.playRound();
      });
    } catch (error) {
      // No caller is waiting for a live round: the error log is where this failure surfaces.
      this.options.logger.error(
        { module: "combat", err: error, encounterId: this.id, playerId: this.player.id, round: this.rounds.length },
        "live combat round failed; the encounter stopped",
      );
    }
    this.startClock();
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private assertRunning(action: string): void {
    if (this.running) return;
    const how = this.status === "failed" ? `failed: ${this.error?.message ?? "unknown error"}` : (this.outcome ?? "finished");
    throw new AppError("encounter_finished", `Cannot ${action} encounter ${this.id}: it ended after ${this.rounds.length} rounds (${how})`, {
      extensions: { encounterId: this.id, outcome: this.outcome, status: this.status },
    });
  }

  private async playRound(): Promise<void> {
    const { persistence: ctx, npc, npcKey, playerDamage } = this.options;
    const round = this.rounds.length + 1;
    const write: WriteOptions = { actor: COMBAT_ACTOR, requestId: `combat:${this.id}:${round}` };
    const source = `npc:${npcKey ?? slug(npc.name)}`;
    const entry: RoundLogEntry = {
      round,
      at: new Date(this.options.now()).toISOString(),
      playerConnected: this.player.connected,
      playerHit: null,
      npcHealthAfter: this.npcHealth,
      npcHit: null,
      experienceGained: null,
      playerHealthAfter: this.player.health,
      playerStatusAfter: this.player.status,
      eventIds: [],
      summary: "",
    };
    const name = this.player.name;
    const said: string[] = [];
    try {
      const { player: current } = await getPlayerOrThrow(ctx, this.player.id);
      this.updatePlayer(current);
      if (current.status === "dead") {
        // Killed elsewhere (another NPC, an API call) since the last round: nothing left to fight.
        this.finish("player_dead");
        return;
      }
      if (current.health > 0) {
        const hit = this.random.integer(playerDamage.min, playerDamage.max);
        this.npcHealth = Math.max(0, this.npcHealth - hit);
        entry.playerHit = hit;
        entry.npcHealthAfter = this.npcHealth;
        said.push(`${name} hits ${npc.name} for ${hit} (${npc.name}: ${this.npcHealth} HP)`);
      } else {
        said.push(`${name} is mortally wounded and cannot strike`);
      }
      if (this.npcHealth === 0) {
        said.push(`${npc.name} dies`);
        if (npc.experienceReward > 0) {
          const result = await gainExperience(ctx, this.player.id, npc.experienceReward, { source }, write);
          this.updatePlayer(result.player);
          entry.experienceGained = npc.experienceReward;
          entry.eventIds.push(...result.events.map((event) => event.id));
          said.push(`${name} gains ${npc.experienceReward} XP (${result.player.experiencePoints})`);
        }
        this.finish("npc_defeated");
      } else {
        const result = await damagePlayer(ctx, this.player.id, npc.attackDamage, { damageType: "melee", source }, write);
        this.updatePlayer(result.player);
        entry.npcHit = npc.attackDamage;
        entry.eventIds.push(...result.events.map((event) => event.id));
        said.push(`${npc.name} hits ${name} for ${npc.attackDamage} (health ${result.player.health})`);
        if (result.player.status === "dead") {
          said.push(`${name} dies`);
          this.finish("player_dead");
        }
      }
      if (this.running && round >= MAX_ROUNDS_PER_ENCOUNTER) this.finish("round_limit");
    } catch (error) {
      // Like a 500, an unexpected error's own text stays in the error log: it can hold SQL and internals.
      const code = error instanceof AppError ? error.code : "internal";
      const message = error instanceof AppError ? error.message : `an unexpected error stopped round ${round}; the error log has the details`;
      entry.error = { code, message };
      said.push(`round failed: ${message}`);
      this.error = { code, message };
      this.status = "failed";
      this.finishedAt = this.options.now();
      this.stopClock();
      throw error;
    } finally {
      // A round that wrote nothing (the player was already dead) is not logged.
      if (entry.eventIds.length > 0 || entry.playerHit !== null || entry.error) {
        entry.playerHealthAfter = this.player.health;
        entry.playerStatusAfter = this.player.status;
        entry.summary = said.join("; ");
        this.rounds.push(entry);
      }
      this.updatedAt = this.options.now();
    }
  }

  private updatePlayer(player: Player): void {
    this.player = { ...this.player, ...snapshot(player) };
  }

  private finish(outcome: EncounterOutcome): void {
    this.status = "finished";
    this.outcome = outcome;
    this.finishedAt = this.options.now();
    this.stopClock();
  }
}

function snapshot(player: Player) {
  const { id, name, health, maxHealth, status, experiencePoints, level, version } = player;
  return { id, name, health, maxHealth, status, experiencePoints, level, version };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "custom";
}
