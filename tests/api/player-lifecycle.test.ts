import { beforeAll, describe, expect, it } from "vitest";
import { PnakoticApiError } from "../../clients/typescript/src/client.ts";
import { apiClient, asToken, callJson, createTestPlayer, env, signIn } from "./api-client.ts";
import type { Credentials } from "./api-client.ts";

/**
 * Archive and purge over HTTP (issue 24, item 2), through the typed client where the document
 * allows it: 410 player_archived, the test-players token scope, and the integrity report's purges.
 */
let admin: Credentials;
let support: Credentials;
const qaKit = () => apiClient(asToken(env.tokens.qaKit));
const service = () => apiClient(asToken(env.tokens.service));

async function codeOf(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof PnakoticApiError)) throw new Error(`expected a PnakoticApiError, got ${String(error)}`);
  return { status: error.status, code: error.code };
}

beforeAll(async () => {
  admin = await signIn("admin", env.passwords.admin);
  support = await signIn("support", env.passwords.support);
});

describe("DELETE /api/v1/players/{id}", () => {
  it("archives: gone from the list and search, writes answer 410 player_archived, readable by id, and an admin brings it back", async () => {
    const player = await createTestPlayer();
    const archived = await apiClient(support).archivePlayer(player.id);
    expect(archived.player.archivedAt).not.toBeNull();
    expect(archived.event.reason).toBe("archive");

    const { body: list } = await callJson<{ items: Array<{ id: string }> }>(asToken(env.tokens.service), "GET", `/api/v1/players?search=${encodeURIComponent(player.name)}`);
    expect(list.items).toEqual([]);
    expect(await codeOf(service().damagePlayer(player.id, { amount: 5 }))).toEqual({ status: 410, code: "player_archived" });
    expect((await service().getPlayer(player.id)).health).toBe(100);
    // Support may archive, only an admin may bring back.
    expect(await codeOf(apiClient(support).unarchivePlayer(player.id))).toEqual({ status: 403, code: "forbidden" });
    expect((await apiClient(admin).unarchivePlayer(player.id)).player.archivedAt).toBeNull();
    expect((await service().damagePlayer(player.id, { amount: 5 })).player.health).toBe(95);
  });
});

describe("POST /api/v1/players/{id}/purge", () => {
  it("a test-players token creates tagged players, writes only to them, purges them, and sees the purge in the integrity report", async () => {
    const mine = await qaKit().createPlayer({ name: `qa-${Date.now()}` });
    expect(mine.testTag).toBe("test-qa-kit");
    await qaKit().damagePlayer(mine.id, { amount: 10 });
    const real = await createTestPlayer();
    expect(await codeOf(qaKit().damagePlayer(real.id, { amount: 10 }))).toEqual({ status: 403, code: "forbidden" });
    expect(await codeOf(qaKit().purgeTestPlayer(real.id))).toEqual({ status: 409, code: "not_a_test_player" });
    expect((await service().getPlayer(real.id)).version).toBe(1);

    const purge = await qaKit().purgeTestPlayer(mine.id);
    expect(purge).toMatchObject({ playerId: mine.id, testTag: "test-qa-kit", ledgerRows: 1, purgedBy: "test-qa-kit" });
    expect(await codeOf(service().getPlayer(mine.id))).toEqual({ status: 404, code: "player_not_found" });
    const report = qaKit().unwrap(await qaKit().api.POST("/api/v1/integrity/runs", { body: {} }), "run the integrity check");
    expect(report.purges.map((entry) => entry.playerId)).toContain(mine.id);
    expect(report.findings.filter((finding) => finding.playerId === mine.id)).toEqual([]);
  });

  it("is refused to a service token without the scope and to support", async () => {
    const player = await qaKit().createPlayer({ name: `qa-${Date.now()}-b` });
    expect(await codeOf(service().purgeTestPlayer(player.id))).toEqual({ status: 403, code: "forbidden" });
    expect(await codeOf(apiClient(support).purgeTestPlayer(player.id))).toEqual({ status: 403, code: "forbidden" });
    expect((await apiClient(admin).purgeTestPlayer(player.id)).purgedBy).toBe("admin");
  });
});
