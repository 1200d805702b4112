import { describe, expect, it } from "vitest";
import { asToken, callJson, env, signIn } from "./api-client.ts";

/**
 * Over HTTP: reserved stat keys are refused, and the game's rules are read and declared at
 * /api/v1/rules. The server's database is shared by every API test, so only the defaults are
 * declared here (tests/integration/game-rules.test.ts covers other rules on both databases).
 */
describe("stat keys and the game's rules over HTTP", () => {
  const service = asToken(env.tokens.service);

  it("PUT /api/v1/stats/{key} refuses ledger field names and JavaScript prototype names with 422", async () => {
    const admin = await signIn("admin", env.passwords.admin);
    for (const key of ["constructor", "toString", "version", "name", "room"]) {
      const refused = await callJson(admin, "PUT", `/api/v1/stats/${key}`, { body: { label: key, min: 0, max: 10 }, headers: { Origin: env.baseUrl } });
      expect(refused.status, key).toBe(422);
      expect(refused.body).toMatchObject({ code: "invalid_input" });
    }
    const listed = await callJson<{ items: Array<{ key: string }> }>(service, "GET", "/api/v1/stats");
    expect(listed.body.items.map((stat) => stat.key)).not.toContain("constructor");
  });

  it("GET /api/v1/rules shows today's defaults; an admin's PUT of invalid rules is 422, of the defaults 200", async () => {
    const rules = await callJson<Record<string, unknown>>(service, "GET", "/api/v1/rules");
    expect(rules.status).toBe(200);
    expect(rules.body).toMatchObject({ inForce: { level: { mode: "formula" }, healthFloor: -10, deathAt: -10, healDead: false } });
    const admin = await signIn("admin", env.passwords.admin);
    const bad = await callJson(admin, "PUT", "/api/v1/rules", { body: { level: { mode: "curve", thresholds: [300, 100] } }, headers: { Origin: env.baseUrl } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: "invalid_input" });
    const same = await callJson<Record<string, unknown>>(admin, "PUT", "/api/v1/rules", { body: { health: { floor: -10, healDead: false } }, headers: { Origin: env.baseUrl } });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ declared: { health: { floor: -10, healDead: false } }, inForce: { healthFloor: -10, deathAt: -10, healDead: false } });
    const viewer = await signIn("viewer", env.passwords.viewer);
    expect((await callJson(viewer, "PUT", "/api/v1/rules", { body: {}, headers: { Origin: env.baseUrl } })).status).toBe(403);
  });
});
