import { beforeAll, describe, expect, it } from "vitest";
import { asToken, callJson, createTestPlayer, database, databaseSnapshot, env } from "./api-client.ts";

/**
 * Inputs the API used to accept quietly or change, and bad input that used to answer 500 (each
 * 500 also wrote error-log rows): now each is matched literally, or a 4xx problem+json that
 * changes nothing and logs nothing.
 */
const service = asToken(env.tokens.service);
const errorLogRows = () => (database().prepare(`SELECT COUNT(*) AS n FROM "ErrorLogEntry"`).get() as { n: number }).n;

describe("quiet and bad input over HTTP", () => {
  const suffix = `${process.pid}-${Date.now()}`;
  beforeAll(async () => {
    for (const name of [`quiet 100% ${suffix}`, `quiet under_score ${suffix}`, `quiet plain ${suffix}`]) await createTestPlayer({ name });
  });

  it("search matches % and _ literally", async () => {
    const names = async (search: string) =>
      (await callJson<{ items: Array<{ name: string }> }>(service, "GET", `/api/v1/players?search=${encodeURIComponent(search)}&limit=100`)).body.items
        .map((player) => player.name)
        .filter((name) => name.startsWith("quiet"));
    expect(await names("%")).toEqual([`quiet 100% ${suffix}`]);
    expect(await names("_")).toEqual([`quiet under_score ${suffix}`]);
    expect(await names(`quiet_p`)).toEqual([]);
    expect(await names(`QUIET PLAIN ${suffix}`)).toEqual([`quiet plain ${suffix}`]);
  });

  it("refuses non-decimal integers, dates before 2000 or beyond JavaScript, and lone surrogates, changing and logging nothing", async () => {
    const player = await createTestPlayer();
    const before = databaseSnapshot();
    const logged = errorLogRows();
    for (const path of [
      "/api/v1/players?limit=0x10",
      "/api/v1/players?limit=1e1",
      `/api/v1/players/${player.id}/events?since=0`,
      `/api/v1/players/${player.id}/events?since=%2B275760-09-13T00:00:00.000Z`,
      `/api/v1/players/${player.id}/events?until=-000001-01-01T00:00:00Z`,
    ]) {
      const response = await callJson<{ code: string }>(service, "GET", path);
      expect(response.status, path).toBe(422);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.body.code).toBe("invalid_input");
    }
    for (const [path, body] of [
      [`/api/v1/players/${player.id}/damage`, '{"amount":1,"source":"\\ud800"}'],
      [`/api/v1/players/${player.id}/respawn`, '{"reason":"lone \\udc00 half"}'],
      ["/api/v1/players", '{"name":"x\\ud800"}'],
    ] as const) {
      const response = await callJson<{ code: string; detail: string }>(service, "POST", path, { rawBody: body, headers: { "Content-Type": "application/json" } });
      expect(response.status, path).toBe(400);
      expect(response.body.detail).toMatch(/lone UTF-16 surrogate/);
    }
    expect(databaseSnapshot()).toEqual(before);
    expect(errorLogRows()).toBe(logged);
  });

  it("starting an encounter for a dead player is 422 player_dead", async () => {
    const player = await createTestPlayer({ health: -10 });
    const response = await callJson<{ code: string }>(service, "POST", "/api/v1/combat/encounters", {
      body: { playerId: player.id, npc: "dr-francis-morgan" },
      headers: { "Idempotency-Key": `dead-${player.id}` },
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe("player_dead");
  });
});
