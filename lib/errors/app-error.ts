import type { ErrorCode } from "./error-codes.ts";
import { errorStatus } from "./error-codes.ts";

export interface FieldIssue {
  /** JSON path of the offending value, e.g. "amount" or "attributes.strength". */
  path: string;
  message: string;
}

/** Marks AppErrors from any copy of this module (see AppError[Symbol.hasInstance]). */
const appErrorBrand = Symbol.for("pnakotic.AppError");

/** The one error type the domain throws on purpose. `code` decides the HTTP status. */
export class AppError extends Error {
  /**
   * `error instanceof AppError` must hold for an AppError made by another copy of this module.
   * Next's dev server compiles pages and route handlers separately, and the app context (on
   * globalThis) keeps the copy of whichever compiled first: the combat lab's encounter registry,
   * created by the dashboard layout, threw the layout's AppError, and the route's problem mapper
   * did not recognise it (player_dead became a 500). Subclasses keep the ordinary check.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== AppError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[appErrorBrand] === true;
  }

  readonly [appErrorBrand] = true;
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  /** Extra members for the problem+json body (e.g. the current version on a conflict). */
  readonly extensions: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: FieldIssue[]; extensions?: Record<string, unknown>; cause?: unknown; status?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.statusOverride = options.status;
    this.name = "AppError";
    this.code = code;
    this.issues = options.issues ?? [];
    this.extensions = options.extensions ?? {};
  }

  /**
   * Only where one code answers two questions: history_pruned is 410 for a read of gone history
   * but 409 for a stale save whose base was pruned (the save conflicts; the client re-reads).
   */
  private readonly statusOverride: number | undefined;

  get status(): number {
    return this.statusOverride ?? errorStatus[this.code];
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
    /** What a whole save meets: the fields changed since its version (see merge-save.ts). */
    explanation: { message?: string; extensions?: Record<string, unknown> } = {},
  ) {
    super(
      "stale_version",
      explanation.message ?? `Player ${playerId} is at version ${currentVersion}, not ${expectedVersion}; re-read it and apply your change again`,
      { extensions: { expectedVersion, currentVersion, ...explanation.extensions } },
    );
    this.name = "StaleDataError";
  }
}

export function playerNotFound(playerId: string): AppError {
  return new AppError("player_not_found", `No player with id ${playerId}`, { extensions: { playerId } });
}
