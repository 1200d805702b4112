import { PrismaClient } from "./generated/client.ts";
import { SerializedSqliteAdapterFactory } from "./serialized-sqlite-adapter.ts";
import type { AppConfig } from "../config.ts";

export type { PrismaClient };

/**
 * Creates a Prisma client for the configured database. The app keeps exactly one (see
 * lib/runtime/app-context.ts); tests create one per temporary database file.
 */
export function createPrismaClient(config: Pick<AppConfig, "database" | "SQLITE_BUSY_TIMEOUT_MS" | "SQLITE_SYNCHRONOUS">): PrismaClient {
  if (config.database.kind !== "sqlite") {
    throw new Error("PostgreSQL mode is not available in this build yet; use a file: DATABASE_URL");
  }
  const adapter = new SerializedSqliteAdapterFactory({
    file: config.database.file,
    busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
    synchronous: config.SQLITE_SYNCHRONOUS,
  });
  return new PrismaClient({ adapter });
}
