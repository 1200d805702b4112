import type { ErrorCode } from "./error-codes.ts";
import { errorStatus } from "./error-codes.ts";

export interface FieldIssue {
  /** JSON path of the offending value, e.g. "amount" or "attributes.strength". */
  path: string;
  message: string;
}

/** The one error type the domain throws on purpose. `code` decides the HTTP status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  /** Extra members for the problem+json body (e.g. the current version on a conflict). */
  readonly extensions: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: FieldIssue[]; extensions?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.issues = options.issues ?? [];
    this.extensions = options.extensions ?? {};
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/**
 * A whole-object save (or a correction with If-Match) named a version that is no longer current.
 * Nothing was changed. `currentVersion` lets a caller re-read and re-apply (see withRetry).
 */
export class StaleDataError extends AppError {
  constructor(
    readonly playerId: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      "stale_version",
      `Player ${playerId} is at version ${currentVersion}, not ${expectedVersion}; re-read it and apply your change again`,
      { extensions: { expectedVersion, currentVersion } },
    );
    this.name = "StaleDataError";
  }
}

export function playerNotFound(playerId: string): AppError {
  return new AppError("player_not_found", `No player with id ${playerId}`, { extensions: { playerId } });
}
