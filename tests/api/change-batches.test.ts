import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PnakoticApiError, createPnakoticClient } from "../../clients/typescript/src/client.ts";
import { asToken, call, callJson, createTestPlayer, database, env, signIn } from "./api-client.ts";

/**
 * POST /api/v1/changes over HTTP: one Idempotency-Key per batch, atomic refusals as problem+json
 * naming the change, independent results in order, a bounded body, staff batches with a reason,
 * and the TypeScript client's applyChanges and transfer.
 */
describe("batches of changes over HTTP", () => {
  const service = asToken(env.tokens.service);
  const client = createPnakoticClient({ baseUrl: env.baseUrl, token: env.tokens.service, attempts: 1 });
  const stored = (id: string) => database().prepare(`SELECT "health", "experiencePoints", "stats", "version" FROM "Player" WHERE "id" = ?`).get(id) as { health: number; stats: string; version: number };
  const gold = (id: string) => (JSON.parse(stored(id).stats) as Record<string, number>)[goldStat];
  const goldStat = `gold${randomUUID().slice(0, 6).replace(/[^a-z0-9]/g, "x")}`;

  async function declareGold() {
    const admin = await signIn("admin", env.passwords.admin);
    const declared = await call(admin, "PUT", `/api/v1/stats/${goldStat}`, { body: { label: "Gold", min: 0, max: 1_000, default: 100, conserved: true, sources: ["loot"], sinks: ["shop"] } });
    expect(declared.status).toBe(200);
  }

  it("a batch retried with its Idempotency-Key is applied once", async () => {
    const [a, b] = [await createTestPlayer(), await createTestPlayer()];
    const key = randomUUID();
    const body = { mode: "atomic", changes: [{ op: "damage", playerId: a.id, amount: 7 }, { op: "damage", playerId: b.id, amount: 9 }] };
    const first = await callJson<{ results: Array<{ index: number; status: number }> }>(service, "POST", "/api/v1/changes", { body, headers: { "Idempotency-Key": key } });
    const retry = await callJson(service, "POST", "/api/v1/changes", { body, headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(200);
    expect(first.body.results.map((result) => [result.index, result.status])).toEqual([[0, 200], [1, 200]]);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect([stored(a.id).health, stored(b.id).health]).toEqual([93, 91]);
  });

  it("an atomic refusal is the change's problem+json with changeIndex, and nothing changes; independent lists each result", async () => {
    const [a, b] = [await createTestPlayer(), await createTestPlayer({ health: 1 })];
    await client.damagePlayer(b.id, { amount: 50 });
    const before = [stored(a.id), stored(b.id)];
    const changes = [{ op: "damage", playerId: a.id, amount: 5 }, { op: "heal", playerId: b.id, amount: 5 }];
    const refused = await callJson<{ code: string; changeIndex: number; detail: string }>(service, "POST", "/api/v1/changes", { body: { mode: "atomic", changes } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: "player_dead", changeIndex: 1 });
    expect([stored(a.id), stored(b.id)]).toEqual(before);

    const { results } = await client.applyChanges({ mode: "independent", changes: [{ op: "damage", playerId: a.id, amount: 5 }, { op: "heal", playerId: b.id, amount: 5 }] });
    expect(results[0]).toMatchObject({ index: 0, status: 200, player: { id: a.id, health: 95 } });
    expect(results[1]).toMatchObject({ index: 1, status: 422, problem: { code: "player_dead" } });
    await expect(client.applyChanges({ mode: "atomic", changes: [{ op: "damage", playerId: "nobody-here", amount: 1 }] })).rejects.toMatchObject({
      status: 404,
      problem: expect.objectContaining({ code: "player_not_found", changeIndex: 0 }),
    });
  });

  it("transfer moves a conserved stat whole or not at all; the conserved stat refuses other changes", async () => {
    await declareGold();
    const [a, b] = [await createTestPlayer(), await createTestPlayer()];
    const moved = await client.transfer({ stat: goldStat, amount: 60, fromPlayerId: a.id, toPlayerId: b.id });
    expect([moved.from.stats[goldStat], moved.to.stats[goldStat]]).toEqual([40, 160]);
    expect(moved.events.map((event) => event.delta)).toEqual([-60, 60]);
    const short = client.transfer({ stat: goldStat, amount: 41, fromPlayerId: a.id, toPlayerId: b.id });
    await expect(short).rejects.toBeInstanceOf(PnakoticApiError);
    await expect(short).rejects.toMatchObject({ status: 422, code: "insufficient_balance" });
    expect([gold(a.id), gold(b.id)]).toEqual([40, 160]);
    const minted = await callJson(service, "POST", `/api/v1/players/${a.id}/stats`, { body: { changes: [{ stat: goldStat, op: "add", value: 5 }] } });
    expect(minted).toMatchObject({ status: 422, body: { code: "conserved_stat" } });
  });

  it("a staff batch needs a reason; a service batch of 1,000 is accepted, 1,001 is refused, an oversized body is 413", async () => {
    const support = await signIn("support", env.passwords.support);
    const player = await createTestPlayer();
    const noReason = await callJson(support, "POST", "/api/v1/changes", { body: { mode: "atomic", changes: [{ op: "respawn", playerId: player.id }] } });
    expect(noReason).toMatchObject({ status: 422, body: { code: "invalid_input" } });
    const viewer = await callJson(asToken(env.tokens.viewerToken), "POST", "/api/v1/changes", { body: { mode: "atomic", changes: [{ op: "respawn", playerId: player.id }] } });
    expect(viewer.status).toBe(403);

    const many = Array.from({ length: 1_000 }, () => ({ op: "experience", playerId: player.id, amount: 1 }));
    const accepted = await callJson<{ results: unknown[] }>(service, "POST", "/api/v1/changes", { body: { mode: "independent", changes: many } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.results).toHaveLength(1_000);
    expect(stored(player.id)).toMatchObject({ experiencePoints: 1_000 });
    const tooMany = await callJson(service, "POST", "/api/v1/changes", { body: { mode: "independent", changes: [...many, many[0]] } });
    expect(tooMany).toMatchObject({ status: 422, body: { code: "invalid_input" } });
    const huge = await call(service, "POST", "/api/v1/changes", { body: { mode: "atomic", changes: [{ op: "damage", playerId: player.id, amount: 1, source: "x".repeat(600_000) }] } });
    expect(huge.status).toBe(413);
  }, 60_000);
});
