import pg from "pg";
import type { PoolConfig, QueryResult } from "pg";

/** PostgreSQL OIDs of `name` and `"char"` (pg_catalog columns that Prisma's migrate reads) and text. */
const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

function reportNameColumnsAsText<R extends QueryResult>(result: R): R {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}

/**
 * A pg client that reports `name` and `"char"` result columns as text. @prisma/adapter-pg 6.19
 * cannot map those types, so `prisma migrate deploy` (which reads pg_catalog) fails with "Column type
 * 'name' could not be deserialized" (prisma/orm#27403). Their text form is exactly their value.
 * tests/integration/upstream-workarounds.test.ts fails the day a plain client works (delete this
 * class then) or this one stops working.
 */
class TextNameClient extends pg.Client {
  // pg's query() has callback and promise forms (pg.Pool uses the callback one); patch both.
  query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (error: Error | null, value: QueryResult) => (last as (e: Error | null, v: QueryResult) => void)(error, error ? value : reportNameColumnsAsText(value));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) return result.then((value: QueryResult) => reportNameColumnsAsText(value)) as never;
    return result as never;
  }
}

/**
 * pg Pool settings from a postgres:// URL: fields rather than a connection string (see
 * ../shared/STACK.md), the pool size and connect timeout from configuration, and TextNameClient.
 */
export function postgresPoolConfig(url: string, options: { max?: number; connectionTimeoutMs?: number; applicationName?: string } = {}): PoolConfig {
  const parsed = new URL(url);
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(`not a PostgreSQL URL: ${parsed.protocol}`);
  return {
    host: decodeURIComponent(parsed.hostname) || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || process.env.PGUSER || "postgres",
    password: decodeURIComponent(parsed.password) || undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    // The change-announcing trigger sends this as the writer's identity (see the migration).
    ...(options.applicationName ? { application_name: options.applicationName.slice(0, 63) } : {}),
    Client: TextNameClient,
  };
}
