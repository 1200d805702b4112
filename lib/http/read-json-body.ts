import { AppError } from "../errors/app-error.ts";

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_JSON_DEPTH = 32;
/** In a `u` regex, a surrogate pair is one code point, so \p{Cs} only matches unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Reads a JSON request body: 415 unless Content-Type is JSON, 413 beyond MAX_BODY_BYTES or the route's own cap (checked
 * while streaming, not only from Content-Length), 400 for malformed or absurdly nested JSON and for
 * strings that are not valid Unicode (lone surrogates).
 * An empty body reads as `{}` so `POST …/respawn` needs no body.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<{ value: unknown; text: string }> {
  const contentType = request.headers.get("content-type");
  const declaredLength = Number(request.headers.get("content-length") ?? "0");
  if (declaredLength > maxBytes) throw tooLarge(maxBytes);
  const text = await readLimited(request, maxBytes);
  if (text.trim() === "") return { value: {}, text };
  if (!contentType || !/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(contentType.trim())) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("malformed_json", "The body is not valid JSON");
  }
  const problem = findStructuralProblem(value, MAX_JSON_DEPTH);
  if (problem) throw new AppError("bad_request", problem);
  return { value, text };
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes`);
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "The body is not valid UTF-8");
  }
}

/**
 * Depth beyond `limit`, or a string (key or value) that is not well-formed Unicode: JSON's \\uD800
 * escape yields a lone UTF-16 surrogate, which no database column, log line or UTF-8 encoder
 * round-trips. Iterative, so a hostile body cannot exhaust the stack here (or later, in validation).
 */
function findStructuralProblem(root: unknown, limit: number): string | null {
  const stack: Array<[unknown, number, string]> = [[root, 1, "body"]];
  while (stack.length > 0) {
    const [value, depth, path] = stack.pop()!;
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) return `JSON string at ${path} contains a lone UTF-16 surrogate (not valid Unicode)`;
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth > limit) return `JSON nested deeper than ${limit} levels`;
    for (const [key, child] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return `a JSON key in ${path} contains a lone UTF-16 surrogate (not valid Unicode)`;
      stack.push([child, depth + 1, `${path}.${key}`]);
    }
  }
  return null;
}
