import { loadLedgerSigner } from "../ledger/ledger-signing.ts";
import os from "node:os";
import { PlayerCache } from "../cache/player-cache.ts";
import { InProcessInvalidationBus } from "../cache/invalidation-bus.ts";
import { APPLICATION_NAME_PREFIX, PostgresInvalidationBus } from "../cache/postgres-invalidation-bus.ts";
import { postgresPoolConfig } from "../persistence/postgres-pool-config.ts";
import type { InvalidationBus } from "../cache/invalidation-bus.ts";
import type { AppConfig } from "../config.ts";
import { logger as rootLogger } from "../logging/logger.ts";
import { PersistenceMetrics } from "../metrics/persistence-metrics.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import type { Player } from "../persistence/player-record.ts";
import { openDatabase } from "../persistence/prisma-client.ts";
import { StatRegistry } from "../stats/stat-registry.ts";

export interface PersistenceContextOverrides {
  bus?: InvalidationBus;
  instanceId?: string;
  now?: () => number;
  /** PostgreSQL listener: first reconnect delay (tests hold a lost listener down deterministically). */
  listenerFirstReconnectDelayMs?: number;
}

/** SQLite: one process, so the in-process bus. PostgreSQL: LISTEN/NOTIFY across instances. */
function createBus(config: AppConfig, db: PersistenceContext["db"], logger: PersistenceContext["logger"], instanceId: string, firstReconnectDelayMs?: number): InvalidationBus {
  if (config.database.kind !== "postgresql") return new InProcessInvalidationBus();
  const { host, port, user, password, database } = postgresPoolConfig(config.database.url);
  const bus = new PostgresInvalidationBus({
    connection: {
      host,
      port,
      user,
      password: typeof password === "string" ? password : undefined,
      database,
      connectionTimeoutMillis: config.DATABASE_CONNECT_TIMEOUT_MS,
      // Lets operators (and the tests) find the listener in pg_stat_activity.
      application_name: `pnakotic-listener:${instanceId}`.slice(0, 63),
    },
    executor: db,
    logger,
    firstReconnectDelayMs,
  });
  bus.start();
  return bus;
}

/**
 * Wires a persistence context: Prisma client, cache, invalidation bus (events from other instances
 * invalidate; a bus gap flushes everything) and counters.
 */
export function createPersistenceContext(config: AppConfig, overrides: PersistenceContextOverrides = {}): PersistenceContext {
  const instanceId = overrides.instanceId ?? config.INSTANCE_ID ?? `${os.hostname()}:${process.pid}`;
  const cache = new PlayerCache<Player>({ ttlMs: config.CACHE_TTL_MS, maxEntries: config.CACHE_MAX_ENTRIES, now: overrides.now });
  const logger = rootLogger.child({ instanceId });
  const { db, writer } = openDatabase(config, { applicationName: `${APPLICATION_NAME_PREFIX}${instanceId}` });
  const bus = overrides.bus ?? createBus(config, db, logger, instanceId, overrides.listenerFirstReconnectDelayMs);
  bus.subscribe((message) => {
    // Our own writes were invalidated after commit already; re-invalidating would drop the
    // fresh post-commit entry for nothing.
    if (message.origin !== instanceId) cache.invalidate(message.playerId, "event", message.version);
  });
  bus.onGap(() => {
    const dropped = cache.invalidateAll("event");
    logger.warn({ module: "cache", dropped }, "invalidation bus reported a gap; flushed the whole cache");
  });
  const stats = new StatRegistry(db, config.HEALTH_FLOOR);
  return {
    db,
    writer,
    stats,
    dialect: config.database.kind,
    cache,
    bus,
    metrics: new PersistenceMetrics(),
    // Read on every use: the game may declare its own death threshold (GameRuleSet), and every
    // status (player reads, lists, counts) must follow it, not the configured default.
    get healthFloor() {
      return stats.currentRules().deathAt;
    },
    instanceId,
    logger,
    ledgerSigner: loadLedgerSigner(config, logger),
  };
}
