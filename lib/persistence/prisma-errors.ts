import { Prisma } from "./generated/client.ts";
import { AppError } from "../errors/app-error.ts";

/*
 * The one place that knows database error codes: Prisma's, its driver adapters', and the raw
 * drivers' (the player write path runs on better-sqlite3 and pg directly; see sql-writer.ts).
 */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}

export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505";
}

/**
 * SQLite result codes that mean "cannot write now": locked past the busy timeout, disk full, the
 * file read-only, gone or failing. Writes answer 503 and the service heals once the fault clears.
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN|PROTOCOL|NOLFS)/;

/** Connection-level failures (database down, locked past the busy timeout, pool exhausted). */
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2034"]);

/** Driver-adapter error kinds (@prisma/driver-adapter-utils) that mean "cannot reach the database". */
const UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout", // also SQLite's SQLITE_BUSY past the busy timeout
  "TooManyConnections",
  "TlsConnectionError",
  "DatabaseDoesNotExist",
  "DatabaseAccessDenied",
  "AuthenticationFailed",
]);
/** PostgreSQL SQLSTATEs of that kind: class 08 (connection), admin/crash shutdown, cannot connect now, too many connections. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
/** Errors pg itself raises without a SQLSTATE (pool timeout, dropped socket, refused connection). */
const UNAVAILABLE_SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE"]);

/**
 * Driver-adapter errors reach callers unwrapped. They are recognised by name and shape rather than
 * instanceof: the adapter utilities ship as ESM and CJS, and a bundle can load the class twice.
 */
function adapterErrorCause(error: unknown): { kind?: string; code?: string; message?: string } | null {
  if (!(error instanceof Error) || error.name !== "DriverAdapterError") return null;
  const cause = (error as Error & { cause?: unknown }).cause;
  return typeof cause === "object" && cause !== null ? (cause as { kind?: string; code?: string; message?: string }) : null;
}

function isUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  // Prisma's SQLite adapter passes better-sqlite3's own error through for codes it does not map
  // (disk full, read-only, I/O); the write path's SqliteWriter throws it directly.
  if (error instanceof Error && error.name === "SqliteError") return SQLITE_UNAVAILABLE.test(String((error as Error & { code?: unknown }).code));
  // Prisma's SQLite adapter reports some driver failures (a read-only file, say) with the SQLite code as `code`.
  if (error instanceof Prisma.PrismaClientKnownRequestError) return UNAVAILABLE_CODES.has(error.code) || SQLITE_UNAVAILABLE.test(error.code);
  const cause = adapterErrorCause(error);
  if (cause) {
    if (cause.kind && UNAVAILABLE_KINDS.has(cause.kind)) return true;
    if (cause.kind === "postgres" && cause.code) {
      // 55000 is generic, except for a database that refuses connections (ALLOW_CONNECTIONS false).
      return UNAVAILABLE_SQLSTATE.test(cause.code) || (cause.code === "55000" && /not currently accepting connections/.test(cause.message ?? ""));
    }
    return false;
  }
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_SOCKET_CODES.has(code)) return true;
    // pg's DatabaseError carries the SQLSTATE in `code` (the write path uses pg directly).
    if (typeof code === "string" && (UNAVAILABLE_SQLSTATE.test(code) || (code === "55000" && /not currently accepting connections/.test(error.message)))) return true;
    // pg raises these as plain Errors (no SQLSTATE, no code); the message is all there is.
    return /timeout exceeded when trying to connect|Connection terminated|encountered a connection error and is not queryable/.test(error.message);
  }
  return false;
}

/**
 * Maps a database error that says "the database is unavailable" to a 503 AppError. Anything else
 * returns null: the caller logs it and lets it surface as a 500.
 */
export function unavailableError(error: unknown): AppError | null {
  if (!isUnavailable(error)) return null;
  return new AppError("database_unavailable", "The database is unavailable; try again shortly", { cause: error });
}
