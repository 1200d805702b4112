import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { requestFingerprint } from "../../lib/http/idempotency.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { asToken, call, createTestPlayer, database, env } from "./api-client.ts";

/**
 * A process killed after reserving an Idempotency-Key leaves exactly one row behind: the
 * reservation, in progress, holding the dead request's id and a lease nobody renews. These tests
 * leave that row the way the server itself writes it (through the same Prisma client), then retry.
 */
const LEASE_MS = 5_000; // the server's IDEMPOTENCY_LEASE_MS default
const serviceToken = asToken(env.tokens.service);
const writer = createPrismaClient(parseConfig({ DATABASE_URL: `file:${env.databaseFile}` }));
afterAll(async () => writer.$disconnect());

async function leaveCrashedReservation(key: string, path: string, body: unknown, crashedRequestId: string) {
  const token = database().prepare(`SELECT "id" FROM "ApiToken" WHERE "name" = 'test-game-server'`).get() as { id: string };
  await writer.idempotencyRecord.create({
    data: {
      actor: `token:${token.id}`,
      key,
      requestHash: requestFingerprint("POST", path, JSON.stringify(body)),
      status: 0,
      responseBody: "",
      headers: {},
      ownerRequestId: crashedRequestId,
      leaseExpiresAt: new Date(Date.now() + LEASE_MS),
    },
  });
}

const ledgerRows = (playerId: string) =>
  database().prepare(`SELECT "delta", "requestId" FROM "PlayerEvent" WHERE "playerId" = ? AND "reason" = 'damage'`).all(playerId) as Array<{ delta: number; requestId: string }>;

describe("Idempotency-Key after a crash", () => {
  it("a reservation whose write never committed does not block a retry: it applies once, within the lease", async () => {
    const player = await createTestPlayer({ health: 100 });
    const path = `/api/v1/players/${player.id}/damage`;
    const body = { amount: 7, damageType: "physical" };
    await leaveCrashedReservation(`crash-${player.id}`, path, body, `crashed-${player.id}`);

    const started = Date.now();
    const retry = await call(serviceToken, "POST", path, { body, headers: { "Idempotency-Key": `crash-${player.id}` } });
    const waitedMs = Date.now() - started;
    expect(retry.status).toBe(200);
    expect(waitedMs).toBeLessThan(LEASE_MS + 3_000);

    const again = await call(serviceToken, "POST", path, { body, headers: { "Idempotency-Key": `crash-${player.id}` } });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const row = database().prepare(`SELECT "health" FROM "Player" WHERE "id" = ?`).get(player.id) as { health: number };
    expect(row.health).toBe(93);
    expect(ledgerRows(player.id).map((entry) => entry.delta)).toEqual([-7]);
  });

  it("a reservation whose write did commit is not applied again: the retry says the response was lost", async () => {
    const player = await createTestPlayer({ health: 100 });
    const path = `/api/v1/players/${player.id}/damage`;
    const body = { amount: 5, damageType: "physical" };
    const crashedRequestId = `committed-${player.id}`;
    await leaveCrashedReservation(`committed-${player.id}`, path, body, crashedRequestId);
    // The dead request's write itself: committed, with its request id on the ledger rows.
    expect((await call(serviceToken, "POST", path, { body, headers: { "X-Request-Id": crashedRequestId } })).status).toBe(200);

    const retry = await call(serviceToken, "POST", path, { body, headers: { "Idempotency-Key": `committed-${player.id}` } });
    expect(retry.status).toBe(409);
    expect(((await retry.json()) as { code: string }).code).toBe("idempotency_response_lost");
    const again = await call(serviceToken, "POST", path, { body, headers: { "Idempotency-Key": `committed-${player.id}` } });
    expect(again.status).toBe(409);
    const row = database().prepare(`SELECT "health" FROM "Player" WHERE "id" = ?`).get(player.id) as { health: number };
    expect(row.health).toBe(95);
    expect(ledgerRows(player.id)).toEqual([{ delta: -5, requestId: crashedRequestId }]);
  });

  it("five concurrent retries of a crashed reservation apply it exactly once", async () => {
    const player = await createTestPlayer({ health: 100 });
    const path = `/api/v1/players/${player.id}/damage`;
    const body = { amount: 3, damageType: "physical" };
    await leaveCrashedReservation(`race-${player.id}`, path, body, `crashed-race-${player.id}`);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => call(serviceToken, "POST", path, { body, headers: { "Idempotency-Key": `race-${player.id}` } })),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.filter((response) => response.headers.get("idempotent-replayed") !== "true")).toHaveLength(1);
    expect(ledgerRows(player.id).map((entry) => entry.delta)).toEqual([-3]);
  });
});
