import { AppError } from "../errors/app-error.ts";
import { SQL_INTEGER_MAX } from "../validation/sql-integer.ts";

/** Parses `If-Match: "<version>"` (also W/"…" or a bare number). Returns undefined when absent. */
export function parseIfMatch(headers: Headers, required: boolean): number | undefined {
  const value = headers.get("if-match");
  if (value === null) {
    if (!required) return undefined;
    throw new AppError("precondition_required", 'Send If-Match: "<version>" with the version you read (the ETag of GET /api/v1/players/{id})');
  }
  const match = /^\s*(?:W\/)?"?([0-9]{1,10})"?\s*$/.exec(value);
  const version = match ? Number(match[1]) : Number.NaN;
  // Versions are 32-bit in PostgreSQL (lib/validation/sql-integer.ts): beyond, 422 rather than a 500.
  if (!Number.isSafeInteger(version) || version < 1 || version > SQL_INTEGER_MAX) {
    throw new AppError("invalid_input", 'If-Match must be a quoted version number, e.g. "5"', {
      issues: [{ path: "If-Match", message: 'must look like "5"' }],
    });
  }
  return version;
}
