import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

const SHA3_SIZES = new Set([224, 256, 384, 512]);

/**
 * SQL functions the ledger trigger calls, registered on every SQLite connection Pnakotic opens (the
 * write path's, Prisma's, the migration CLI's). `sha3(X[, size])` behaves like the sqlite3 shell's
 * built-in of the same name, so a person in sqlite3 writes chained rows too; a tool without it cannot
 * update "Player" at all (see migration 20261125150000_ledger_chain).
 */
export function registerSqliteFunctions(db: Database.Database): Database.Database {
  db.function("sha3", { deterministic: true, varargs: true }, (value: unknown, size: unknown = 256) => {
    const bits = Number(size);
    if (!SHA3_SIZES.has(bits)) throw new RangeError(`sha3: size must be 224, 256, 384 or 512, not ${String(size)}`);
    if (value === null || value === undefined) return null;
    const input = Buffer.isBuffer(value) ? value : Buffer.from(String(value), "utf8");
    return createHash(`sha3-${bits}`).update(input).digest();
  });
  return db;
}

/**
 * The better-sqlite3 connection inside Prisma's adapter (its `client` field: not in the adapter's
 * type, so checked here rather than assumed), to register the ledger's SQL functions on it. The
 * adapter offers no public way to reach its connection; tests/integration/upstream-workarounds.test.ts
 * fails the day this field moves.
 */
export function adapterConnection(adapter: unknown): Database.Database {
  const client = (adapter as { client?: unknown }).client;
  if (!(client instanceof Database)) throw new Error("@prisma/adapter-better-sqlite3 no longer exposes its connection as `client`: the ledger's sha3 function cannot be registered");
  return client;
}

/** Prisma's SQLite adapter factory whose connections have the ledger's functions (for the migration CLI). */
export function withLedgerFunctions(factory: PrismaBetterSQLite3) {
  return {
    provider: "sqlite" as const,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      registerSqliteFunctions(adapterConnection(adapter));
      return adapter;
    },
    async connectToShadowDb() {
      const adapter = await factory.connectToShadowDb();
      registerSqliteFunctions(adapterConnection(adapter));
      return adapter;
    },
  };
}
