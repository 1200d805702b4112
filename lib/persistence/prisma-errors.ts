import { Prisma } from "./generated/client.ts";
import { AppError } from "../errors/app-error.ts";

/** The one place that knows Prisma's error codes. */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Connection-level failures (database down, locked past the busy timeout, pool exhausted). */
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2034"]);

/**
 * Maps a database error that says "the database is unavailable" to a 503 AppError. Anything else
 * returns null: the caller logs it and lets it surface as a 500.
 */
export function unavailableError(error: unknown): AppError | null {
  const unavailable =
    error instanceof Prisma.PrismaClientInitializationError ||
    (error instanceof Prisma.PrismaClientKnownRequestError && UNAVAILABLE_CODES.has(error.code));
  if (!unavailable) return null;
  return new AppError("database_unavailable", "The database is unavailable; try again shortly", { cause: error });
}
