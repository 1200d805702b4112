import { AppError } from "../errors/app-error.ts";
import type { Logger } from "../logging/logger.ts";
import { unavailableError } from "../persistence/prisma-errors.ts";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  428: "Precondition Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * RFC 9457 problem details. AppErrors become their status with `code` as an extension member;
 * anything else is a 500 that is logged (with the request id) and leaks nothing to the caller.
 */
/** The problem+json body of an AppError (also one refused change inside a batch's answer). */
export function problemBody(appError: AppError, requestId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: `urn:pnakotic:problem:${appError.code}`,
    title: titles[appError.status] ?? "Error",
    status: appError.status,
    detail: appError.message,
    code: appError.code,
    requestId,
    ...appError.extensions,
  };
  if (appError.issues.length > 0) body.errors = appError.issues;
  return body;
}

export function problemResponse(error: unknown, requestId: string, logger: Logger, route: string): Response {
  let appError: AppError;
  const unavailable = error instanceof AppError ? null : unavailableError(error);
  if (error instanceof AppError) {
    appError = error;
  } else if (unavailable) {
    // e.g. authentication could not reach the database: the same 503 as a failed write.
    logger.error({ module: "http", err: error, requestId, route }, "database unavailable");
    appError = unavailable;
  } else {
    logger.error({ module: "http", err: error, requestId, route }, "unhandled error in route handler");
    appError = new AppError("internal", `An unexpected error occurred; quote request id ${requestId} when reporting it`);
  }
  const status = appError.status;
  const body = problemBody(appError, requestId);
  const headers = new Headers({ "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", "X-Request-Id": requestId });
  if (status === 401) headers.set("WWW-Authenticate", 'Bearer realm="pnakotic"');
  const retryAfter = appError.extensions.retryAfterSeconds;
  if (typeof retryAfter === "number") headers.set("Retry-After", String(retryAfter));
  if (status === 503) headers.set("Retry-After", "5");
  return new Response(JSON.stringify(body), { status, headers });
}
