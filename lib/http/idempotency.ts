import { createHash } from "node:crypto";
import { AppError } from "../errors/app-error.ts";
import type { Logger } from "../logging/logger.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import { isUniqueViolation } from "../persistence/prisma-errors.ts";

const IN_PROGRESS = 0;
const POLL_MS = 20;
/** Response headers worth replaying (request-specific ones like X-Request-Id are not). */
const REPLAYED_HEADERS = ["content-type", "etag", "location"];

export interface IdempotencyRequest {
  actor: string;
  key: string;
  method: string;
  path: string;
  bodyText: string;
  /** This request's id; the ledger and audit rows it writes carry it. */
  requestId: string;
  ttlHours: number;
  leaseMs: number;
  logger: Logger;
}

export function requestFingerprint(method: string, path: string, bodyText: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${bodyText}`).digest("hex");
}

type RecordKey = { actor_key: { actor: string; key: string } };

/**
 * Idempotency-Key support for POST mutations. The first request reserves (actor, key) with a
 * unique insert — the database decides the race, so five concurrent copies apply once — runs, and
 * stores its response; repeats wait for it and replay it with `Idempotent-Replayed: true`. The same
 * key with a different request is 422. A first request that fails with a 5xx releases the key so
 * the client can retry.
 *
 * Crashes: a reservation carries its holder's request id and a lease the holder renews while it
 * runs. A process killed mid-request stops renewing; once the lease has run out (IDEMPOTENCY_LEASE_MS,
 * 5 s by default) a retry looks for the ledger or audit rows the dead request would have written
 * (they carry its request id, and commit with its write or not at all):
 *  - none: the write never committed, so the retry takes the reservation over and applies it once;
 *  - some: it committed but its response was lost; the retry answers 409 idempotency_response_lost
 *    (stored, so every later retry gets the same) and applies nothing.
 * This does not depend on how the write path groups its statements, only on its rows carrying the
 * request id. Remaining window: a holder that stalls for longer than the lease without crashing
 * (e.g. a stopped VM) can be overtaken while its write is still uncommitted.
 */
export async function withIdempotency(db: PrismaClient, request: IdempotencyRequest, run: () => Promise<Response>): Promise<Response> {
  if (!/^[\x21-\x7e]{1,200}$/.test(request.key)) {
    throw new AppError("invalid_input", "Idempotency-Key must be 1–200 visible ASCII characters", {
      issues: [{ path: "Idempotency-Key", message: "must be 1–200 visible ASCII characters" }],
    });
  }
  const requestHash = requestFingerprint(request.method, request.path, request.bodyText);
  const where: RecordKey = { actor_key: { actor: request.actor, key: request.key } };
  const mine = { actor: request.actor, key: request.key, ownerRequestId: request.requestId };

  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await db.idempotencyRecord.create({
        data: { ...mine, requestHash, status: IN_PROGRESS, responseBody: "", headers: {}, leaseExpiresAt: new Date(Date.now() + request.leaseMs) },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const outcome = await waitForFirst(db, where, requestHash, request);
      if (outcome === "retry-reservation") continue; // the first attempt failed and released the key
      if (outcome !== "taken-over") return outcome;
    }
    if (Math.random() < 0.01) await db.idempotencyRecord.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - request.ttlHours * 3_600_000) } } });
    return runHoldingLease(db, mine, request, run);
  }
  throw new AppError("idempotency_in_progress", "Another request with this Idempotency-Key keeps failing; retry later");
}

async function runHoldingLease(
  db: PrismaClient,
  mine: { actor: string; key: string; ownerRequestId: string },
  request: IdempotencyRequest,
  run: () => Promise<Response>,
): Promise<Response> {
  const renewal = setInterval(() => {
    db.idempotencyRecord
      .updateMany({ where: { ...mine, status: IN_PROGRESS }, data: { leaseExpiresAt: new Date(Date.now() + request.leaseMs) } })
      .catch((error: unknown) => {
        // Not fatal: a lapsed lease lets a retry check the ledger for this request's rows first.
        request.logger.warn({ module: "http", err: error, requestId: request.requestId }, "could not renew an Idempotency-Key lease");
      });
  }, Math.max(100, Math.floor(request.leaseMs / 3)));
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    clearInterval(renewal);
    await db.idempotencyRecord.deleteMany({ where: mine });
    throw error;
  }
  clearInterval(renewal);
  if (response.status >= 500) {
    await db.idempotencyRecord.deleteMany({ where: mine });
    return response;
  }
  const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)!]] : [])));
  await db.idempotencyRecord.updateMany({ where: mine, data: { status: response.status, responseBody: await response.clone().text(), headers } });
  return response;
}

/**
 * Waits for the holder of the key: its stored response (replayed), its release
 * ("retry-reservation"), or the end of its lease, after which this request either takes the
 * reservation over ("taken-over": run the handler) or learns that the write had committed.
 */
async function waitForFirst(
  db: PrismaClient,
  where: RecordKey,
  requestHash: string,
  request: IdempotencyRequest,
): Promise<Response | "retry-reservation" | "taken-over"> {
  // Long enough for a crashed holder's lease to run out, however long it had left.
  const deadline = Date.now() + Math.max(15_000, 2 * request.leaseMs);
  for (;;) {
    const record = await db.idempotencyRecord.findUnique({
      where,
      select: { requestHash: true, status: true, responseBody: true, headers: true, ownerRequestId: true, leaseExpiresAt: true },
    });
    if (!record) return "retry-reservation";
    if (record.requestHash !== requestHash) {
      throw new AppError("idempotency_key_reused", "This Idempotency-Key was already used for a different request");
    }
    if (record.status !== IN_PROGRESS) return replay(record.status, record.responseBody, record.headers);
    if (record.leaseExpiresAt.getTime() <= Date.now()) {
      const committed = record.ownerRequestId !== null && (await requestLeftRows(db, record.ownerRequestId));
      const claimed = await db.idempotencyRecord.updateMany({
        where: { ...where.actor_key, status: IN_PROGRESS, ownerRequestId: record.ownerRequestId, leaseExpiresAt: record.leaseExpiresAt },
        data: { ownerRequestId: request.requestId, leaseExpiresAt: new Date(Date.now() + request.leaseMs) },
      });
      if (claimed.count === 0) continue; // another retry took it over first: wait for that one
      request.logger.warn({ module: "http", requestId: request.requestId, crashedRequestId: record.ownerRequestId, committed }, "took over an Idempotency-Key reservation whose lease ran out");
      if (!committed) return "taken-over";
      const lost = new AppError(
        "idempotency_response_lost",
        "The first request with this Idempotency-Key was applied, but the server stopped before storing its response; read the resource for the result",
      );
      const body = JSON.stringify({ type: `urn:pnakotic:problem:${lost.code}`, title: "Conflict", status: lost.status, detail: lost.message, code: lost.code });
      const headers = { "content-type": "application/problem+json" };
      await db.idempotencyRecord.updateMany({ where: { ...where.actor_key, ownerRequestId: request.requestId }, data: { status: lost.status, responseBody: body, headers } });
      return new Response(body, { status: lost.status, headers });
    }
    if (Date.now() > deadline) throw new AppError("idempotency_in_progress", "A request with this Idempotency-Key is still in progress; retry later");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function replay(status: number, body: string, storedHeaders: unknown): Response {
  const headers = new Headers(storedHeaders as Record<string, string>);
  headers.set("Idempotent-Replayed", "true");
  return new Response(body, { status, headers });
}

/**
 * Whether a request wrote anything that commits with its mutation (ledger or audit rows carry its
 * id). A client that reuses one X-Request-Id for several requests can make this true wrongly; that
 * errs towards "applied" (a 409), never towards applying twice.
 */
async function requestLeftRows(db: PrismaClient, requestId: string): Promise<boolean> {
  const [ledger, audit] = await Promise.all([
    db.playerEvent.findFirst({ where: { requestId }, select: { id: true } }),
    db.auditEntry.findFirst({ where: { requestId }, select: { id: true } }),
  ]);
  return ledger !== null || audit !== null;
}
