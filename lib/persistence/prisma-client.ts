import pg from "pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";
import { PrismaClient as PostgresPrismaClient } from "./generated-pg/client.ts";
import { ensurePrivateDatabaseFile } from "./private-database-file.ts";
import { logger } from "../logging/logger.ts";
import { adapterConnection, registerSqliteFunctions } from "./sqlite-functions.ts";
import { postgresPoolConfig } from "./postgres-pool-config.ts";
import { PostgresWriter, SqliteWriter } from "./sql-writer.ts";
import type { SqlWriter } from "./sql-writer.ts";
import type { AppConfig } from "../config.ts";

export type { PrismaClient };

export type DatabaseKind = AppConfig["database"]["kind"];

type ClientConfig = Pick<AppConfig, "database" | "SQLITE_BUSY_TIMEOUT_MS" | "SQLITE_SYNCHRONOUS" | "DATABASE_POOL_SIZE" | "DATABASE_CONNECT_TIMEOUT_MS">;

/**
 * Prisma's own SQLite connection is synchronous (better-sqlite3): while it waits for another
 * process's write lock, the whole event loop waits. Its waits are kept short; the player write path,
 * which retries asynchronously (SqliteWriter), gets the full SQLITE_BUSY_TIMEOUT_MS.
 */
export const PRISMA_SQLITE_BUSY_TIMEOUT_MS = 250;

/**
 * Prisma's SQLite adapter with the connection settings this app needs (WAL, synchronous, foreign
 * keys, busy timeout), applied when the adapter connects. Only the public factory interface is
 * used: `connect()` runs the pragmas on the connection it returns.
 */
class ConfiguredSqliteAdapterFactory {
  readonly provider = "sqlite" as const;
  readonly adapterName: string;
  private readonly inner: PrismaBetterSQLite3;

  constructor(private readonly options: { file: string; busyTimeoutMs: number; synchronous: "NORMAL" | "FULL"; readonly?: boolean }) {
    this.inner = new PrismaBetterSQLite3({ url: `file:${options.file}`, timeout: options.busyTimeoutMs, readonly: options.readonly ?? false });
    this.adapterName = this.inner.adapterName;
  }

  async connect() {
    const adapter = await this.inner.connect();
    registerSqliteFunctions(adapterConnection(adapter));
    // A read-only connection cannot set the journal mode; the app's own connection does (it persists).
    if (this.options.readonly) {
      await adapter.executeScript(`PRAGMA busy_timeout = ${Math.trunc(this.options.busyTimeoutMs)};`);
      return adapter;
    }
    // journal_mode=WAL persists in the file; synchronous and foreign_keys are per connection.
    await adapter.executeScript(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${this.options.synchronous}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${Math.trunc(this.options.busyTimeoutMs)};`,
    );
    return adapter;
  }
}

/**
 * Interactive transactions (none on the player write path; see lib/persistence/run-player-update.ts)
 * wait for a connection longer than Prisma's 2 s default.
 */
const transactionOptions = { maxWait: 10_000, timeout: 15_000 };

export interface Database {
  /** Prisma: the schema's typed client, for every query except the player write statement. */
  db: PrismaClient;
  /** The player write path's statement runner, on the same driver Prisma's adapter uses. */
  writer: SqlWriter;
}

/**
 * Opens the database for the configured mode. The app keeps exactly one (lib/runtime/app-context.ts);
 * tests create one per temporary database.
 *
 * Two generated clients exist because one Prisma schema cannot switch provider; the PostgreSQL schema
 * is generated from the SQLite one (lib/persistence/postgres-schema.ts), so the models and therefore
 * the client APIs are identical, and the rest of the code uses the SQLite client's types.
 */
export function openDatabase(config: ClientConfig, options: { applicationName?: string } = {}): Database {
  if (config.database.kind === "postgresql") {
    const pool = new pg.Pool(
      postgresPoolConfig(config.database.url, {
        max: config.DATABASE_POOL_SIZE,
        connectionTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
        applicationName: options.applicationName,
      }),
    );
    // An idle connection that PostgreSQL terminates emits "error" on the pool; unhandled, it would
    // end the process. The next query on a fresh connection reports any lasting outage.
    pool.on("error", () => undefined);
    // disposeExternalPool: $disconnect ends the pool too; otherwise its idle connections keep a CLI
    // process alive after its work is done.
    const db = new PostgresPrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), transactionOptions }) as unknown as PrismaClient;
    return { db, writer: new PostgresWriter(pool) };
  }
  if (!ensurePrivateDatabaseFile(config.database.file).writable) {
    logger.error({ module: "persistence", file: config.database.file }, "the database file is not writable by this process: reads are served, writes answer 503 until it is fixed");
  }
  const adapter = new ConfiguredSqliteAdapterFactory({
    file: config.database.file,
    busyTimeoutMs: Math.min(config.SQLITE_BUSY_TIMEOUT_MS, PRISMA_SQLITE_BUSY_TIMEOUT_MS),
    synchronous: config.SQLITE_SYNCHRONOUS,
  });
  const db = new PrismaClient({ adapter, transactionOptions });
  const writer = new SqliteWriter({ file: config.database.file, synchronous: config.SQLITE_SYNCHRONOUS, busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS });
  return { db, writer };
}

/**
 * SQLite: a Prisma client on a read-only connection of its own, for long reads (export downloads).
 * In WAL mode it reads a snapshot while the app's connection goes on reading and writing, and it
 * can never write. PostgreSQL: null (the pool already runs queries side by side).
 */
export function openSqliteReader(config: ClientConfig): PrismaClient | null {
  if (config.database.kind !== "sqlite") return null;
  const adapter = new ConfiguredSqliteAdapterFactory({
    file: config.database.file,
    busyTimeoutMs: PRISMA_SQLITE_BUSY_TIMEOUT_MS,
    synchronous: config.SQLITE_SYNCHRONOUS,
    readonly: true,
  });
  return new PrismaClient({ adapter, transactionOptions });
}

/** Just the Prisma client (CLI, test setup): no player writes go through it. */
export function createPrismaClient(config: ClientConfig, options: { applicationName?: string } = {}): PrismaClient {
  const { db, writer } = openDatabase(config, options);
  void writer.close();
  return db;
}
