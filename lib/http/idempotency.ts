import { createHash } from "node:crypto";
import { AppError } from "../errors/app-error.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import { isUniqueViolation } from "../persistence/prisma-errors.ts";

const IN_PROGRESS = 0;
const WAIT_FOR_FIRST_MS = 15_000;
const POLL_MS = 20;
/** Response headers worth replaying (request-specific ones like X-Request-Id are not). */
const REPLAYED_HEADERS = ["content-type", "etag", "location"];

export interface IdempotencyRequest {
  actor: string;
  key: string;
  method: string;
  path: string;
  bodyText: string;
  ttlHours: number;
}

export function requestFingerprint(method: string, path: string, bodyText: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${bodyText}`).digest("hex");
}

/**
 * Idempotency-Key support for POST mutations. The first request reserves (actor, key) with a
 * unique insert — the database decides the race, so five concurrent copies apply once — runs, and
 * stores its response; repeats wait for it and replay it with `Idempotent-Replayed: true`. The same
 * key with a different request is 422. A first request that fails with a 5xx releases the key so
 * the client can retry.
 *
 * Known window: if the process dies after the mutation commits but before the response is stored,
 * the reservation stays "in progress" until it expires (ttl); repeats get 409 meanwhile, never a
 * second application.
 */
export async function withIdempotency(db: PrismaClient, request: IdempotencyRequest, run: () => Promise<Response>): Promise<Response> {
  if (!/^[\x21-\x7e]{1,200}$/.test(request.key)) {
    throw new AppError("invalid_input", "Idempotency-Key must be 1–200 visible ASCII characters", {
      issues: [{ path: "Idempotency-Key", message: "must be 1–200 visible ASCII characters" }],
    });
  }
  const requestHash = requestFingerprint(request.method, request.path, request.bodyText);
  const where = { actor_key: { actor: request.actor, key: request.key } };

  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await db.idempotencyRecord.create({
        data: { actor: request.actor, key: request.key, requestHash, status: IN_PROGRESS, responseBody: "", headers: {} },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const replay = await waitForFirst(db, where, requestHash);
      if (replay) return replay;
      continue; // the first attempt failed and released the key: try to take it
    }
    if (Math.random() < 0.01) await db.idempotencyRecord.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - request.ttlHours * 3_600_000) } } });
    let response: Response;
    try {
      response = await run();
    } catch (error) {
      await db.idempotencyRecord.delete({ where });
      throw error;
    }
    if (response.status >= 500) {
      await db.idempotencyRecord.delete({ where });
      return response;
    }
    const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)!]] : [])));
    await db.idempotencyRecord.update({ where, data: { status: response.status, responseBody: await response.clone().text(), headers } });
    return response;
  }
  throw new AppError("idempotency_in_progress", "Another request with this Idempotency-Key keeps failing; retry later");
}

async function waitForFirst(
  db: PrismaClient,
  where: { actor_key: { actor: string; key: string } },
  requestHash: string,
): Promise<Response | null> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const record = await db.idempotencyRecord.findUnique({ where, select: { requestHash: true, status: true, responseBody: true, headers: true } });
    if (!record) return null;
    if (record.requestHash !== requestHash) {
      throw new AppError("idempotency_key_reused", "This Idempotency-Key was already used for a different request");
    }
    if (record.status !== IN_PROGRESS) {
      const headers = new Headers(record.headers as Record<string, string>);
      headers.set("Idempotent-Replayed", "true");
      return new Response(record.responseBody, { status: record.status, headers });
    }
    if (Date.now() > deadline) throw new AppError("idempotency_in_progress", "A request with this Idempotency-Key is still in progress; retry later");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
