import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";
import { PrismaClient as PostgresPrismaClient } from "./generated-pg/client.ts";
import { SerializedSqliteAdapterFactory } from "./serialized-sqlite-adapter.ts";
import { postgresPoolConfig } from "./postgres-pool-config.ts";
import type { AppConfig } from "../config.ts";

export type { PrismaClient };

export type DatabaseKind = AppConfig["database"]["kind"];

type ClientConfig = Pick<AppConfig, "database" | "SQLITE_BUSY_TIMEOUT_MS" | "SQLITE_SYNCHRONOUS" | "DATABASE_POOL_SIZE" | "DATABASE_CONNECT_TIMEOUT_MS">;

/**
 * Interactive transactions wait for a connection (PostgreSQL pool, or the SQLite write lock)
 * longer than Prisma's 2 s default: under a burst of writers a short wait would fail healthy writes.
 */
const transactionOptions = { maxWait: 10_000, timeout: 15_000 };

/**
 * Creates a Prisma client for the configured database. The app keeps exactly one (see
 * lib/runtime/app-context.ts); tests create one per temporary database.
 *
 * Two generated clients exist because one Prisma schema cannot switch provider; the PostgreSQL
 * schema is generated from the SQLite one (lib/persistence/postgres-schema.ts), so the models and
 * therefore the client APIs are identical, and the rest of the code uses the SQLite client's types.
 */
export function createPrismaClient(config: ClientConfig, options: { applicationName?: string } = {}): PrismaClient {
  if (config.database.kind === "postgresql") {
    const adapter = new PrismaPg(
      postgresPoolConfig(config.database.url, {
        max: config.DATABASE_POOL_SIZE,
        connectionTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
        applicationName: options.applicationName,
      }),
    );
    return new PostgresPrismaClient({ adapter, transactionOptions }) as unknown as PrismaClient;
  }
  const adapter = new SerializedSqliteAdapterFactory({
    file: config.database.file,
    busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
    synchronous: config.SQLITE_SYNCHRONOUS,
  });
  return new PrismaClient({ adapter, transactionOptions });
}
