import Database from "better-sqlite3";
import { registerSqliteFunctions } from "./sqlite-functions.ts";
import type pg from "pg";

/**
 * Runs the write path's single statements on the driver that Prisma's adapter uses — better-sqlite3
 * or the pg Pool the adapter was given — rather than through Prisma's raw API. Measured here
 * (bench/README.md): Prisma's per-statement cost is 0.2–0.7 ms, several times the whole statement's
 * cost in the driver, and the write path's targets are relative to the driver. Prisma still owns the
 * schema, the migrations and every other query.
 *
 * Statements use named parameters (`@p1`) on SQLite and positional ones (`$1`) on PostgreSQL; see
 * SqlParams.
 */
export interface SqlExecutor {
  readonly dialect: "sqlite" | "postgresql";
  /** Runs one statement and returns its rows (RETURNING or SELECT). */
  query<Row = Record<string, unknown>>(sql: string, params: unknown[]): Promise<Row[]>;
}

export interface SqlWriter extends SqlExecutor {
  /**
   * Runs `work` in one transaction on one connection and commits once (a batch of changes). The
   * transaction rolls back when `work` throws. SQLite takes the write lock up front (BEGIN
   * IMMEDIATE), so the batch never fails half-way on a lock upgrade.
   */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** How the write path fared lately, for /api/health. */
  status(): WriterStatus;
  close(): Promise<void>;
}

/** A statement runner inside an open transaction, with savepoints for changes applied on their own. */
export interface SqlTransaction extends SqlExecutor {
  /** Runs `work` under a savepoint: when it throws, only its statements are rolled back (and it rethrows). */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

/** Savepoints over any executor: SAVEPOINT, then RELEASE on success or ROLLBACK TO on failure. */
function savepoints(executor: SqlExecutor): SqlTransaction {
  let depth = 0;
  return {
    dialect: executor.dialect,
    query: (sql, params) => executor.query(sql, params),
    async savepoint<T>(work: () => Promise<T>): Promise<T> {
      const name = `change_${(depth += 1)}`;
      await executor.query(`SAVEPOINT ${name}`, []);
      try {
        const result = await work();
        await executor.query(`RELEASE SAVEPOINT ${name}`, []);
        return result;
      } catch (error) {
        await executor.query(`ROLLBACK TO SAVEPOINT ${name}`, []);
        await executor.query(`RELEASE SAVEPOINT ${name}`, []);
        throw error;
      }
    },
  };
}

export interface WriterStatus {
  /** failing = the last statement failed and none has succeeded since. */
  state: "ok" | "failing";
  lastError: string | null;
  lastFailureAt: string | null;
  lastSuccessAt: string | null;
}

/** Remembers the outcome of the latest statements. Messages are driver codes, never SQL or values. */
class WriterHealth {
  private lastError: string | null = null;
  private lastFailureAt: Date | null = null;
  private lastSuccessAt: Date | null = null;

  succeeded(): void {
    this.lastSuccessAt = new Date();
  }

  failed(error: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    this.lastError = typeof code === "string" ? code : error instanceof Error ? error.name : "error";
    this.lastFailureAt = new Date();
  }

  status(): WriterStatus {
    const failing = this.lastFailureAt !== null && (this.lastSuccessAt === null || this.lastSuccessAt < this.lastFailureAt);
    return {
      state: failing ? "failing" : "ok",
      lastError: this.lastError,
      lastFailureAt: this.lastFailureAt?.toISOString() ?? null,
      lastSuccessAt: this.lastSuccessAt?.toISOString() ?? null,
    };
  }
}

/** Collects parameters and writes their placeholders for the writer's dialect. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: "sqlite" | "postgresql") {}

  /** A placeholder for `value`; PostgreSQL gets an explicit type so CASE arms and arithmetic agree. */
  add(value: unknown, pgType?: "integer" | "text" | "jsonb" | "timestamp"): string {
    this.values.push(value);
    const index = this.values.length;
    if (this.dialect === "sqlite") return `@p${index}`;
    return pgType ? `$${index}::${pgType === "timestamp" ? "timestamp(3)" : pgType}` : `$${index}`;
  }
}

export interface SqliteWriterOptions {
  file: string;
  synchronous: "NORMAL" | "FULL";
  /** How long a write keeps retrying while another connection or process holds the write lock. */
  busyTimeoutMs: number;
}

const SQLITE_STATEMENT_CACHE = 256;

/**
 * better-sqlite3 is synchronous: with a busy timeout it would block the whole event loop (every
 * request, /api/health included) while another process holds the write lock. So the connection's
 * own busy timeout is 0 and a busy statement is retried here with short sleeps until
 * `busyTimeoutMs`, then reported (SQLITE_BUSY → 503). A statement on a file that was read-only
 * reopens the connection on the next attempt, so a fixed file heals without a restart.
 */
export class SqliteWriter implements SqlWriter {
  readonly dialect = "sqlite" as const;
  private db: Database.Database | null = null;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly health = new WriterHealth();

  status(): WriterStatus {
    return this.health.status();
  }

  constructor(private readonly options: SqliteWriterOptions) {}

  private connection(): Database.Database {
    if (this.db) return this.db;
    const db = new Database(this.options.file, { timeout: 0 });
    try {
      registerSqliteFunctions(db);
      db.pragma("journal_mode = WAL");
      db.pragma(`synchronous = ${this.options.synchronous}`);
      db.pragma("foreign_keys = ON");
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    return db;
  }

  private reset(): void {
    this.statements.clear();
    try {
      this.db?.close();
    } catch {
      // Closing a connection that already failed can fail again; the next attempt opens a new one.
    }
    this.db = null;
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection().prepare(sql);
      if (this.statements.size >= SQLITE_STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * One connection serves every caller of this process, so while a transaction is open (across
   * awaits) other statements wait for it; otherwise they would run inside it.
   */
  private openTransaction: Promise<void> | null = null;

  async query<Row>(sql: string, params: unknown[]): Promise<Row[]> {
    while (this.openTransaction) await this.openTransaction;
    return this.run<Row>(sql, params);
  }

  async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    while (this.openTransaction) await this.openTransaction;
    let finished!: () => void;
    this.openTransaction = new Promise((resolve) => (finished = resolve));
    try {
      await this.run("BEGIN IMMEDIATE", []);
      try {
        const result = await work(savepoints({ dialect: this.dialect, query: (sql, params) => this.run(sql, params) }));
        await this.run("COMMIT", []);
        return result;
      } catch (error) {
        // An I/O or full-disk error may already have rolled the transaction back.
        if (this.db?.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    } finally {
      this.openTransaction = null;
      finished();
    }
  }

  private async run<Row>(sql: string, params: unknown[]): Promise<Row[]> {
    const named = Object.fromEntries(params.map((value, index) => [`p${index + 1}`, toSqliteValue(value)]));
    const deadline = Date.now() + this.options.busyTimeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const statement = this.prepare(sql);
        const rows = (statement.reader ? statement.all(named) : (statement.run(named), [])) as Row[];
        this.health.succeeded();
        return rows;
      } catch (error) {
        const code = sqliteCode(error);
        if ((code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED") && Date.now() < deadline) {
          await sleep(Math.min(2 + attempt * 2, 25));
          continue;
        }
        // A read-only or vanished file, or an I/O error: start afresh next time.
        if (code && /^SQLITE_(READONLY|CANTOPEN|IOERR|NOTADB|CORRUPT)/.test(code)) this.reset();
        if (code?.startsWith("SQLITE_CONSTRAINT") !== true) this.health.failed(error);
        throw error;
      }
    }
  }

  async close(): Promise<void> {
    this.reset();
  }
}

/**
 * PostgreSQL: the pool that Prisma's adapter was created with (lib/persistence/prisma-client.ts),
 * so both share the connection limit.
 */
export class PostgresWriter implements SqlWriter {
  readonly dialect = "postgresql" as const;
  private readonly health = new WriterHealth();
  constructor(private readonly pool: pg.Pool) {}

  status(): WriterStatus {
    return this.health.status();
  }

  async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      const run = async <Row>(sql: string, params: unknown[]): Promise<Row[]> => {
        try {
          const result = await client.query({ text: sql, values: params.map(toPostgresValue) });
          this.health.succeeded();
          return result.rows as Row[];
        } catch (error) {
          if (!String((error as { code?: unknown }).code ?? "").startsWith("23")) this.health.failed(error);
          throw error;
        }
      };
      await run("BEGIN", []);
      let result: T;
      try {
        result = await work(savepoints({ dialect: this.dialect, query: run }));
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError));
        throw error;
      }
      await run("COMMIT", []);
      return result;
    } catch (error) {
      broken ??= isConnectionError(error) ? error : undefined;
      throw error;
    } finally {
      // A connection that failed mid-transaction is discarded, not returned to the pool.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async query<Row>(sql: string, params: unknown[]): Promise<Row[]> {
    try {
      const result = await this.pool.query({ text: sql, values: params.map(toPostgresValue) });
      this.health.succeeded();
      return result.rows as Row[];
    } catch (error) {
      // Constraint violations (23…) are answers about the data, not the database's health.
      if (!String((error as { code?: unknown }).code ?? "").startsWith("23")) this.health.failed(error);
      throw error;
    }
  }

  async close(): Promise<void> {
    // The pool belongs to Prisma's adapter, which ends it on $disconnect.
  }
}

/** An error the server answered (pg's DatabaseError carries a severity) leaves the connection usable; anything else may not. */
function isConnectionError(error: unknown): boolean {
  return typeof (error as { severity?: unknown } | null)?.severity !== "string";
}

function toSqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00"); // Prisma's SQLite format
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return value ?? null;
}

function toPostgresValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("T", " ").replace("Z", "");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return value ?? null;
}

export function sqliteCode(error: unknown): string | undefined {
  if (error instanceof Database.SqliteError) return error.code;
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
