import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

type SqliteAdapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type SqliteTransaction = Awaited<ReturnType<SqliteAdapter["startTransaction"]>>;

export interface SqliteConnectionOptions {
  file: string;
  busyTimeoutMs: number;
  /** PRAGMA synchronous: NORMAL (default) or FULL. See README "Durability". */
  synchronous: "NORMAL" | "FULL";
}

/**
 * A tiny FIFO lock. Not a library because it is twelve lines and has to hand its release function
 * to a transaction object that Prisma owns.
 */
class FifoLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => released);
    return acquired;
  }
}

/**
 * Wraps Prisma's better-sqlite3 adapter so that statements issued *outside* a transaction wait for
 * any open interactive transaction.
 *
 * Why: the adapter owns one SQLite connection. It serialises transactions with a mutex, but a plain
 * query issued while an interactive transaction is open runs on the same connection and therefore
 * *inside* that transaction: a read sees uncommitted state (which the cache could then keep after a
 * rollback) and a write is rolled back with somebody else's transaction. Serialising everything on
 * one lock makes every top-level statement see only committed data.
 *
 * It also applies the connection's pragmas (WAL, synchronous, foreign keys, busy timeout).
 */
export class SerializedSqliteAdapterFactory {
  readonly provider = "sqlite" as const;
  readonly adapterName: string;
  private readonly inner: PrismaBetterSQLite3;

  constructor(private readonly options: SqliteConnectionOptions) {
    this.inner = new PrismaBetterSQLite3({ url: `file:${options.file}`, timeout: options.busyTimeoutMs });
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqliteAdapter> {
    const adapter = await this.inner.connect();
    // journal_mode=WAL persists in the file; synchronous and foreign_keys are per connection.
    await adapter.executeScript(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${this.options.synchronous}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${Math.trunc(this.options.busyTimeoutMs)};`,
    );
    return serialize(adapter);
  }
}

function serialize(adapter: SqliteAdapter): SqliteAdapter {
  const lock = new FifoLock();
  async function exclusive<T>(run: () => Promise<T>): Promise<T> {
    const release = await lock.acquire();
    try {
      return await run();
    } finally {
      release();
    }
  }

  const wrapped: SqliteAdapter = Object.create(adapter);
  wrapped.queryRaw = (query) => exclusive(() => adapter.queryRaw(query));
  wrapped.executeRaw = (query) => exclusive(() => adapter.executeRaw(query));
  wrapped.executeScript = (script) => exclusive(() => adapter.executeScript(script));
  wrapped.startTransaction = async (isolationLevel) => {
    const release = await lock.acquire();
    let transaction: SqliteTransaction;
    try {
      transaction = await adapter.startTransaction(isolationLevel);
    } catch (error) {
      release();
      throw error;
    }
    const tx: SqliteTransaction = Object.create(transaction);
    tx.commit = () => transaction.commit().finally(release);
    tx.rollback = () => transaction.rollback().finally(release);
    return tx;
  };
  return wrapped;
}
