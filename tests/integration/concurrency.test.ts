import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors/app-error.ts";
import { correctHealth } from "../../lib/player-operations/correct-health.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import { healPlayer } from "../../lib/player-operations/heal-player.ts";
import { respawnPlayer } from "../../lib/player-operations/respawn-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { levelForExperience } from "../../lib/players/level-curve.ts";
import { createTestContext } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";

const CALLERS = 50;
const OPERATIONS_PER_CALLER = 100;

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe(`concurrency: ${CALLERS} callers × ${OPERATIONS_PER_CALLER} mixed operations on 3 players`, () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => {
    await t.close();
  });

  it("loses no update: stored health, XP, level and version equal the ledger replay", async () => {
    const players = await Promise.all(
      ["Ithaqua", "Nyarlathotep", "Shub-Niggurath"].map((name) => createPlayer(t.ctx, { name, maxHealth: 100, experiencePoints: 554 }, { actor: { name: "setup", kind: "system" } })),
    );
    const outcomes = { applied: 0, refusedDead: 0, refusedStale: 0 };
    const staff = { actor: { name: "support-anna", kind: "staff" as const } };
    const service = { actor: { name: "game-server", kind: "service" as const } };

    async function caller(index: number): Promise<void> {
      const next = random(index + 1);
      for (let op = 0; op < OPERATIONS_PER_CALLER; op += 1) {
        const player = players[Math.floor(next() * players.length)]!;
        const roll = next();
        const amount = 1 + Math.floor(next() * 15);
        try {
          if (roll < 0.4) await damagePlayer(t.ctx, player.id, amount, { damageType: "melee" }, service);
          else if (roll < 0.6) await healPlayer(t.ctx, player.id, amount, {}, service);
          else if (roll < 0.8) await gainExperience(t.ctx, player.id, amount * 10, {}, service);
          else if (roll < 0.87) await correctHealth(t.ctx, player.id, { delta: next() < 0.5 ? -amount : amount, reason: "load test" }, staff);
          else if (roll < 0.92) await respawnPlayer(t.ctx, player.id, service);
          else {
            // Whole-object saves from a (possibly cached, possibly stale) read: refused or applied, never lost.
            const { player: read } = await getPlayerOrThrow(t.ctx, player.id);
            await savePlayer(t.ctx, player.id, { ...read, inventory: [...read.inventory, `item-${index}-${op}`] }, read.version, service);
          }
          outcomes.applied += 1;
        } catch (error) {
          if (error instanceof AppError && error.code === "player_dead") outcomes.refusedDead += 1;
          else if (error instanceof AppError && error.code === "stale_version") outcomes.refusedStale += 1;
          else throw error;
        }
      }
    }

    await Promise.all(Array.from({ length: CALLERS }, (_, index) => caller(index)));

    expect(outcomes.applied + outcomes.refusedDead + outcomes.refusedStale).toBe(CALLERS * OPERATIONS_PER_CALLER);
    expect(outcomes.applied).toBeGreaterThan(CALLERS * OPERATIONS_PER_CALLER * 0.8);
    for (const player of players) {
      expect(await reconcilePlayer(t.sql, player.id, { health: 100, experience: 554, level: 3 })).toEqual([]);
      const stored = (await t.sql.get(`SELECT "health", "maxHealth", "experiencePoints", "level" FROM "Player" WHERE "id" = ?`, player.id)) as {
        health: number;
        maxHealth: number;
        experiencePoints: number;
        level: number;
      };
      expect(stored.health).toBeGreaterThanOrEqual(t.config.HEALTH_FLOOR);
      expect(stored.health).toBeLessThanOrEqual(stored.maxHealth);
      expect(stored.level).toBe(levelForExperience(stored.experiencePoints));
    }
    const outOfRange = (await t.sql.get(`SELECT COUNT(*) AS n FROM "PlayerEvent" WHERE "field" = 'health' AND ("after" < ? OR "after" > 100)`, t.config.HEALTH_FLOOR));
    expect(outOfRange).toEqual({ n: 0 });
    // Every applied write is one version bump and at least one ledger row.
    const versions = (await t.sql.get(`SELECT SUM("version" - 1) AS writes FROM "Player"`)) as { writes: number };
    expect(versions.writes).toBe(outcomes.applied);
    expect(t.ctx.metrics.staleSavesRefused).toBe(outcomes.refusedStale);
    // Stale whole saves now merge (a few reads more each, recomputed when the row moved again), so
    // on a shared 2-core machine PostgreSQL needs more than the default minute for these 5,000 calls.
  }, 240_000);
});
