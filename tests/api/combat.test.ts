import { describe, expect, it } from "vitest";
import {
  CombatApiError,
  advanceRounds,
  advanceUntil,
  createEncounter,
  createPlayer,
  disconnectPlayer,
  getEncounter,
  readLedgerFromDatabase,
  readPlayerFromDatabase,
  waitForEncounter,
} from "../helpers/combat-fixtures.ts";
import { asToken, call, callJson, databaseSnapshot, env, signIn } from "./api-client.ts";

const server = { baseUrl: env.baseUrl, token: env.tokens.service };
const serviceToken = asToken(env.tokens.service);

describe("combat simulator over HTTP", () => {
  it("the seed scenario: disconnect after 20 damage, the NPC dies, the database reads health 70 and XP 555", async () => {
    const ithaqua = await createPlayer(server, { maxHealth: 100, experiencePoints: 554 });
    const fight = await createEncounter(server, { playerId: ithaqua.id, npc: "dr-francis-morgan" });
    expect(fight).toMatchObject({ status: "running", mode: "deterministic", npc: { name: "Dr. Francis Morgan", health: 50 } });

    const hurt = await advanceUntil(server, fight.id, (encounter) => encounter.player.health <= 80);
    expect(hurt.player.health).toBe(80);
    expect(readPlayerFromDatabase(env.databaseFile, ithaqua.id)).toMatchObject({ health: 80 });
    await disconnectPlayer(server, fight.id);
    const ended = await advanceUntil(server, fight.id, (encounter) => encounter.status !== "running");

    expect(ended).toMatchObject({ status: "finished", outcome: "npc_defeated", roundsPlayed: 4, player: { connected: false, disconnectedAfterRound: 2 } });
    expect(readPlayerFromDatabase(env.databaseFile, ithaqua.id)).toMatchObject({ health: 70, experiencePoints: 555, level: 3 });
    const ledger = readLedgerFromDatabase(env.databaseFile, ithaqua.id);
    expect(ledger.map(({ field, before, after }) => [field, before, after])).toEqual([
      ["health", 100, 90],
      ["health", 90, 80],
      ["health", 80, 70],
      ["experience", 554, 555],
    ]);
    expect(ended.rounds.flatMap((round) => round.eventIds)).toEqual(ledger.map((row) => row.id));

    const again = await callJson(serviceToken, "POST", `/api/v1/combat/encounters/${fight.id}/rounds`, { body: { rounds: 1 } });
    expect(again).toMatchObject({ status: 409, body: { code: "encounter_finished" } });
    expect(readLedgerFromDatabase(env.databaseFile, ithaqua.id)).toHaveLength(4);
  });

  it("live mode plays on its own and stops at the end", async () => {
    const player = await createPlayer(server, { experiencePoints: 554 });
    const fight = await createEncounter(server, { playerId: player.id, mode: "live", roundIntervalMs: 30 });
    const ended = await waitForEncounter(server, fight.id, (encounter) => encounter.status !== "running");
    expect(ended).toMatchObject({ outcome: "npc_defeated", roundsPlayed: 4 });
    expect(readPlayerFromDatabase(env.databaseFile, player.id)).toMatchObject({ health: 70, experiencePoints: 555 });
  });

  it("a viewer can read encounters and presets but not start, advance or disconnect (403, nothing changed)", async () => {
    const viewer = await signIn("viewer", env.passwords.viewer);
    const player = await createPlayer(server);
    const fight = await createEncounter(server, { playerId: player.id });
    await advanceRounds(server, fight.id, 1);

    expect((await callJson(viewer, "GET", `/api/v1/combat/encounters/${fight.id}`)).body).toMatchObject({ id: fight.id, roundsPlayed: 1 });
    const list = await callJson<{ items: Array<{ id: string }> }>(viewer, "GET", "/api/v1/combat/encounters");
    expect(list.body.items.map((item) => item.id)).toContain(fight.id);
    const presets = await callJson<{ items: Array<Record<string, unknown>> }>(viewer, "GET", "/api/v1/combat/npcs");
    expect(presets.body.items).toContainEqual({ key: "dr-francis-morgan", name: "Dr. Francis Morgan", health: 50, attackDamage: 10, experienceReward: 1 });

    const before = databaseSnapshot();
    const attempts = [
      await call(viewer, "POST", "/api/v1/combat/encounters", { body: { playerId: player.id, npc: "dr-francis-morgan" } }),
      await call(viewer, "POST", `/api/v1/combat/encounters/${fight.id}/rounds`, { body: { rounds: 5 } }),
      await call(viewer, "POST", `/api/v1/combat/encounters/${fight.id}/disconnect`),
    ];
    expect(attempts.map((response) => response.status)).toEqual([403, 403, 403]);
    expect(databaseSnapshot()).toEqual(before);
    expect(await getEncounter(server, fight.id)).toMatchObject({ roundsPlayed: 1, player: { connected: true } });
  });

  it("bad input is problem+json with a clear message: unknown NPC 422, rounds 0/101 422, unknown encounter 404", async () => {
    const player = await createPlayer(server);
    const unknownNpc = await callJson(serviceToken, "POST", "/api/v1/combat/encounters", { body: { playerId: player.id, npc: "cthulhu" } });
    expect(unknownNpc).toMatchObject({ status: 422, body: { code: "invalid_input", errors: [{ path: "npc", message: expect.stringMatching(/unknown NPC preset "cthulhu"/) }] } });
    const unknownPlayer = await callJson(serviceToken, "POST", "/api/v1/combat/encounters", { body: { playerId: "no-such-player", npc: "nightgaunt" } });
    expect(unknownPlayer).toMatchObject({ status: 404, body: { code: "player_not_found" } });

    const fight = await createEncounter(server, { playerId: player.id });
    for (const rounds of [0, 101]) {
      const response = await callJson(serviceToken, "POST", `/api/v1/combat/encounters/${fight.id}/rounds`, { body: { rounds } });
      expect(response).toMatchObject({ status: 422, body: { code: "invalid_input", errors: [{ path: "rounds" }] } });
    }
    const missing = await callJson(serviceToken, "GET", "/api/v1/combat/encounters/no-such-encounter");
    expect(missing).toMatchObject({ status: 404, body: { code: "encounter_not_found" } });
    await expect(advanceRounds(server, "no-such-encounter")).rejects.toBeInstanceOf(CombatApiError);
    expect(readLedgerFromDatabase(env.databaseFile, player.id)).toEqual([]);
  });
});
