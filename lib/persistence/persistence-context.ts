import type { PlayerCache } from "../cache/player-cache.ts";
import type { InvalidationBus } from "../cache/invalidation-bus.ts";
import type { PersistenceMetrics } from "../metrics/persistence-metrics.ts";
import type { Logger } from "../logging/logger.ts";
import type { PrismaClient } from "./prisma-client.ts";
import type { SqlWriter } from "./sql-writer.ts";
import type { StatRegistry } from "../stats/stat-registry.ts";
import type { Player } from "./player-record.ts";
import type { LedgerSigner } from "../ledger/ledger-signing.ts";

/** Everything a persistence operation needs; one per process (or per test database). */
export interface PersistenceContext {
  db: PrismaClient;
  /** Runs the player write statement (see run-player-update.ts). */
  writer: SqlWriter;
  /** The declared stats (cached copy of the StatDefinition table). */
  stats: StatRegistry;
  dialect: "sqlite" | "postgresql";
  cache: PlayerCache<Player>;
  bus: InvalidationBus;
  metrics: PersistenceMetrics;
  /**
   * The death threshold in force: health at or below it is "dead". HEALTH_FLOOR until the game
   * declares its own rules (then at most the registry's refresh old); see lib/stats/game-rules.ts.
   */
  readonly healthFloor: number;
  instanceId: string;
  logger: Logger;
  /** Signs and verifies checkpoints and prune bases (the key is never in the database). */
  ledgerSigner: LedgerSigner;
}

/** Who asked for a change. `name` becomes the ledger's actor; staff changes are also audited. */
export interface Actor {
  name: string;
  /** service = a game server; staff = a person (session, or a token with a staff role): always audited; system = the app itself. */
  kind: "service" | "staff" | "system";
  /** A "test-players" token (lib/auth/token-scope.ts): the write statement matches test players only. */
  testPlayersOnly?: boolean;
}

export interface WriteOptions {
  actor: Actor;
  requestId?: string;
}
