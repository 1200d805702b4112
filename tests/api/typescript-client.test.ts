import { describe, expect, it } from "vitest";
import { PnakoticApiError, StaleDataError, createPnakoticClient, newIdempotencyKey } from "../../clients/typescript/src/client.ts";
import type { PlayerSave, Player } from "../../clients/typescript/src/client.ts";
import { database, env } from "./api-client.ts";

const client = createPnakoticClient({ baseUrl: env.baseUrl, token: env.tokens.service });

const writable = (player: Player): PlayerSave => ({
  name: player.name,
  health: player.health,
  maxHealth: player.maxHealth,
  experiencePoints: player.experiencePoints,
  currentRoomId: player.currentRoomId,
  professionId: player.professionId,
  attributes: player.attributes as PlayerSave["attributes"],
  inventory: player.inventory as PlayerSave["inventory"],
  statusEffects: player.statusEffects as PlayerSave["statusEffects"],
});

const stored = (id: string) => database().prepare(`SELECT "health", "experiencePoints", "version" FROM "Player" WHERE "id" = ?`).get(id);

describe("@pnakotic/client against the real server", () => {
  it("replays the seed scenario: 100 → 90 → 80 → 70, XP +1 keeps health 70, a stale save with merge: false is refused with StaleDataError", async () => {
    const created = await client.createPlayer({ name: `ts-client-${Date.now()}`, maxHealth: 100, experiencePoints: 554 });
    const staleCopy = await client.getPlayer(created.id);
    for (const expected of [90, 80, 70]) {
      const { player } = await client.damagePlayer(created.id, { amount: 10 });
      expect(player.health).toBe(expected);
    }
    const { player } = await client.gainExperience(created.id, { amount: 1 });
    expect(player).toMatchObject({ health: 70, experiencePoints: 555 });
    const refused = client.savePlayer(created.id, { ...writable(staleCopy), experiencePoints: 554 }, staleCopy.version, { merge: false });
    await expect(refused).rejects.toBeInstanceOf(StaleDataError);
    await expect(refused).rejects.toMatchObject({ status: 409, code: "stale_version", problem: { conflicts: expect.arrayContaining([expect.objectContaining({ field: "health", base: 100, yours: 100, theirs: 70 })]) } });
    expect(stored(created.id)).toMatchObject({ health: 70, experiencePoints: 555 });
  });

  it("the seed scenario through whole saves: a stale copy saving XP +1 is merged (health 70, XP 555, no 409); findPlayerByName finds it", async () => {
    const name = `ts-client-merge-${Date.now()}`;
    const created = await client.createPlayer({ name, maxHealth: 100, experiencePoints: 554 });
    const staleCopy = await client.getPlayer(created.id);
    for (let round = 0; round < 3; round += 1) await client.updatePlayer(created.id, (fresh) => ({ ...writable(fresh), health: fresh.health - 10 }));
    const saved = await client.savePlayer(created.id, { ...writable(staleCopy), experiencePoints: 555 }, staleCopy.version);
    expect(saved.player).toMatchObject({ health: 70, experiencePoints: 555, version: 5 });
    expect(saved.merge).toEqual({ baseVersion: 1, fromSave: ["experiencePoints"], keptFromOthers: ["health"], combined: [] });
    expect((await client.findPlayerByName(name.toUpperCase()))?.id).toBe(created.id);
    expect(await client.findPlayerByName(`${name}-nobody`)).toBeNull();
  });

  it("updatePlayer re-reads and re-applies after a concurrent write instead of overwriting it", async () => {
    const created = await client.createPlayer({ name: `ts-client-retry-${Date.now()}` });
    let attempts = 0;
    // merge: false, so the server refuses the stale save and the client's own retry is what is tested.
    const saved = await client.updatePlayer(
      created.id,
      async (player) => {
        attempts += 1;
        // Someone else writes between our first read and our first save.
        if (attempts === 1) await client.damagePlayer(created.id, { amount: 5 });
        return { ...writable(player), experiencePoints: player.experiencePoints + 100 };
      },
      { merge: false },
    );
    expect(attempts).toBe(2);
    // The damage survived (the stale save was refused, then re-applied to the fresh copy).
    expect(saved.player).toMatchObject({ health: 95, experiencePoints: 100 });
    expect(stored(created.id)).toMatchObject({ health: 95, experiencePoints: 100, version: created.version + 2 });
  });

  it("a retried mutation with the same Idempotency-Key is applied once", async () => {
    const created = await client.createPlayer({ name: `ts-client-idem-${Date.now()}` });
    const idempotencyKey = newIdempotencyKey();
    const first = await client.damagePlayer(created.id, { amount: 7 }, { idempotencyKey });
    const replay = await client.damagePlayer(created.id, { amount: 7 }, { idempotencyKey });
    expect(replay.player.health).toBe(first.player.health);
    expect(stored(created.id)).toMatchObject({ health: 93, version: created.version + 1 });
  });

  it("turns problem+json into PnakoticApiError with the server's code", async () => {
    const failure = client.getPlayer(crypto.randomUUID());
    await expect(failure).rejects.toBeInstanceOf(PnakoticApiError);
    await expect(failure).rejects.toMatchObject({ status: 404, code: "player_not_found" });
  });
});
