import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, StaleDataError } from "../../lib/errors/app-error.ts";
import { runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { getPlayerOrThrow } from "../../lib/persistence/get-player.ts";
import type { Player } from "../../lib/persistence/player-record.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { healPlayer } from "../../lib/player-operations/heal-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const game = { actor: { name: "game-server", kind: "service" as const } };
const FLOOR = -10;
const MAX_HEALTH = 100;

type Command =
  | { kind: "damage"; amount: number }
  | { kind: "heal"; amount: number }
  | { kind: "experience"; amount: number }
  /** A whole save from the copy read `back` accepted writes ago, with health and XP changed on it. */
  | { kind: "save"; back: number; health: number; experience: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("damage" as const), amount: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("heal" as const), amount: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("experience" as const), amount: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant("save" as const), back: fc.integer({ min: 0, max: 5 }), health: fc.integer({ min: -40, max: 40 }), experience: fc.integer({ min: 0, max: 50 }) }),
);

/** A delta applied the way the statement clamps it: toward the bounds, never past them. */
function clampedAdd(value: number, delta: number): number {
  return delta >= 0 ? Math.min(MAX_HEALTH, value + delta) : Math.max(FLOOR, value + delta);
}

describe("stale whole saves interleaved with atomic writes", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => {
    await t.close();
  });

  it("property: the final state is the base plus every accepted change, re-clamped in commit order, and the ledger replays to it", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        run += 1;
        const created = await createPlayer(t.ctx, { name: `Shoggoth ${run}`, maxHealth: MAX_HEALTH }, system);
        const model = { health: created.health, experience: created.experiencePoints };
        const copies: Player[] = [created];
        for (const step of commands) {
          const dead = model.health <= FLOOR;
          try {
            if (step.kind === "damage") {
              await damagePlayer(t.ctx, created.id, step.amount, {}, game);
              model.health = Math.max(FLOOR, model.health - step.amount);
            } else if (step.kind === "heal") {
              await healPlayer(t.ctx, created.id, step.amount, {}, game);
              expect(dead).toBe(false);
              model.health = Math.min(MAX_HEALTH, model.health + step.amount);
            } else if (step.kind === "experience") {
              await gainExperience(t.ctx, created.id, step.amount, {}, game);
              model.experience += step.amount;
            } else {
              const copy = copies[Math.max(0, copies.length - 1 - step.back)]!;
              const fresh = copy === copies[copies.length - 1];
              const mine = { ...copy, health: copy.health + step.health, experiencePoints: copy.experiencePoints + step.experience };
              const saved = await savePlayer(t.ctx, created.id, mine, copy.version, game);
              if (fresh) {
                // At the current version the body is written as it is (its values within bounds).
                expect(saved.merge).toBeUndefined();
                model.health = mine.health;
                model.experience = mine.experiencePoints;
              } else {
                expect(saved.merge?.baseVersion).toBe(copy.version);
                // Its deltas, on top of whatever happened since; a heal never raises the dead.
                expect(dead && step.health > 0).toBe(false);
                model.health = clampedAdd(model.health, step.health);
                model.experience += step.experience;
              }
            }
          } catch (error) {
            const expectedRefusal =
              (error instanceof AppError && error.code === "player_dead" && dead) ||
              (error instanceof StaleDataError && dead && step.kind === "save" && step.health > 0) ||
              (error instanceof AppError && error.code === "invalid_input" && step.kind === "save");
            if (!expectedRefusal) throw error;
            continue;
          }
          copies.push((await getPlayerOrThrow(t.ctx, created.id)).player);
        }
        const stored = await t.sql.get<{ health: number; experiencePoints: number }>(`SELECT "health", "experiencePoints" FROM "Player" WHERE "id" = ?`, created.id);
        expect(stored).toEqual({ health: model.health, experiencePoints: model.experience });
        expect(await reconcilePlayer(t.sql, created.id, { health: MAX_HEALTH, experience: 0, level: 1 })).toEqual([]);
      }),
      { numRuns: 12, seed: 20261204, endOnFailure: true },
    );
    // The runs did exercise the merge, not only fresh saves.
    expect(t.ctx.metrics.saves.merged).toBeGreaterThan(5);
  }, 240_000);

  it("16 concurrent load → modify → save writers on the same players: 0 lost updates, the ledger reconciles, 0 integrity findings", async () => {
    const WRITERS = 16;
    const SAVES_PER_WRITER = 8;
    const players = await Promise.all([0, 1, 2].map((index) => createPlayer(t.ctx, { name: `Dagon ${index}`, maxHealth: 1_000 }, system)));
    const acknowledged = new Map<string, number>(players.map((player) => [player.id, 0]));
    let refused = 0;
    async function writer(index: number): Promise<void> {
      for (let save = 0; save < SAVES_PER_WRITER; save += 1) {
        const { id } = players[(index + save) % players.length]!;
        // A game server's copy, read through the cache and possibly stale by the time it is saved.
        const { player } = await getPlayerOrThrow(t.ctx, id);
        try {
          await savePlayer(t.ctx, id, { ...player, health: player.health - 1, experiencePoints: player.experiencePoints + 2 }, player.version, game);
          acknowledged.set(id, acknowledged.get(id)! + 1);
        } catch (error) {
          // Only an exhausted merge (others kept writing in between, MERGE_ATTEMPTS times) may refuse; it changed nothing.
          if (!(error instanceof StaleDataError)) throw error;
          refused += 1;
        }
      }
    }
    await Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(index)));

    for (const player of players) {
      const done = acknowledged.get(player.id)!;
      const stored = await t.sql.get<{ health: number; experiencePoints: number; version: number }>(`SELECT "health", "experiencePoints", "version" FROM "Player" WHERE "id" = ?`, player.id);
      expect(stored).toEqual({ health: 1_000 - done, experiencePoints: 2 * done, version: 1 + done });
      expect(await reconcilePlayer(t.sql, player.id, { health: 1_000, experience: 0, level: 1 })).toEqual([]);
    }
    expect([...acknowledged.values()].reduce((sum, count) => sum + count, 0) + refused).toBe(WRITERS * SAVES_PER_WRITER);
    expect(t.ctx.metrics.saves.merged).toBeGreaterThan(0);
    const report = await runIntegrityCheck(t.ctx, { trigger: "manual", actor: "test" });
    expect(report.findings).toEqual([]);
  }, 240_000);
});
