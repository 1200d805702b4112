import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activityQuery } from "../../lib/api/api-schemas.ts";
import { listActivity } from "../../lib/persistence/list-activity.ts";
import type { ActivityFilters } from "../../lib/persistence/list-activity.ts";
import { correctHealth } from "../../lib/player-operations/correct-health.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { healPlayer } from "../../lib/player-operations/heal-player.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const staff = { actor: { name: "support-anna", kind: "staff" as const } };
const filters = (query: Record<string, string> = {}): ActivityFilters => {
  const parsed = activityQuery.parse(query);
  return { ...parsed, playerIds: parsed.players };
};

describe("the server-wide activity feed", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  async function scene() {
    const a = await createPlayer(t.ctx, { name: "Wilbur Whateley", maxHealth: 200 }, system);
    const b = await createPlayer(t.ctx, { name: "Herbert West", maxHealth: 100 }, system);
    await damagePlayer(t.ctx, a.id, 10, {}, system); // small: no incident
    await damagePlayer(t.ctx, a.id, 80, {}, system); // big hit (≥ 50)
    await healPlayer(t.ctx, a.id, 5, {}, system); // plain heal: no incident
    await correctHealth(t.ctx, a.id, { delta: 5, reason: "ticket #1" }, staff); // correction
    await damagePlayer(t.ctx, b.id, 105, {}, system); // 100 → -5: mortally wounded, and a big hit
    await damagePlayer(t.ctx, b.id, 20, {}, system); // -5 → -10 (the floor): death
    // Health rising from the dead without a respawn: only a write around the rules can do it.
    await t.sql.execute(`UPDATE "Player" SET "health" = 40 WHERE "id" = '${b.id}'`);
    return { a, b };
  }

  it("lists deaths, big hits, heals of the dead and corrections, newest first, each naming its player and ledger row", async () => {
    const { a, b } = await scene();
    const page = await listActivity(t.ctx, filters());
    expect(page.items.map((item) => [item.playerName, item.kinds, item.before, item.after])).toEqual([
      ["Herbert West", ["heal_of_dead"], -10, 40],
      ["Herbert West", ["death"], -5, -10],
      ["Herbert West", ["wounded", "big_hit"], 100, -5],
      ["Wilbur Whateley", ["correction"], 115, 120],
      ["Wilbur Whateley", ["big_hit"], 190, 110],
    ]);
    for (const item of page.items) {
      const row = await t.sql.get(`SELECT "playerId", "changeId" FROM "PlayerEvent" WHERE "id" = ?`, item.eventId);
      expect(row).toEqual({ playerId: item.playerId, changeId: item.changeId });
    }
    expect(page.nextCursor).toBeNull();

    expect((await listActivity(t.ctx, filters({ kind: "death" }))).items.map((item) => item.playerId)).toEqual([b.id]);
    expect((await listActivity(t.ctx, filters({ kind: "big_hit", bigHit: "100" }))).items.map((item) => item.after)).toEqual([-5]);
    expect((await listActivity(t.ctx, filters({ players: a.id }))).items).toHaveLength(2);
    expect((await listActivity(t.ctx, filters({ kind: "correction" }))).items.map((item) => item.reason)).toEqual(["correction"]);
  });

  it("merges integrity findings by time and pages without a gap or a repeat across bounded ledger windows", async () => {
    const { a } = await scene();
    const run = await t.ctx.db.integrityRun.create({
      data: { trigger: "manual", actor: "support", startedAt: new Date(), finishedAt: new Date(Date.now() + 1_000), durationMs: 1, playersScanned: 2, eventsScanned: 9, findingCount: 1 },
    });
    await t.ctx.db.integrityFinding.create({ data: { runId: run.id, kind: "chain_broken", severity: "error", playerId: a.id, playerName: "Wilbur Whateley", message: "the hash chain breaks at event 3", eventIds: [3] } });
    const all = await listActivity(t.ctx, filters());
    expect(all.items[0]).toMatchObject({ source: "integrity", kinds: ["integrity"], message: "the hash chain breaks at event 3", eventId: 3 });
    expect(all.items).toHaveLength(6);

    // Pages of 2 over windows of 3 ledger rows: some pages come back short or empty, none repeats or skips.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await listActivity(t.ctx, { ...filters({ limit: "2", ...(cursor ? { cursor } : {}) }), scanWindow: 3 });
      seen.push(...page.items.map((item) => item.id));
      expect(page.scanned.toEventId - page.scanned.fromEventId).toBeLessThan(3);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.items.map((item) => item.id));
    expect((await listActivity(t.ctx, filters({ kind: "integrity" }))).items.map((item) => item.source)).toEqual(["integrity"]);
  });

  it("refuses bad filters before any work", () => {
    expect(activityQuery.safeParse({ kind: "party" }).success).toBe(false);
    expect(activityQuery.safeParse({ limit: "201" }).success).toBe(false);
    expect(activityQuery.safeParse({ players: Array.from({ length: 21 }, (_, i) => `p${i}`).join(",") }).success).toBe(false);
    expect(activityQuery.safeParse({ cursor: "x" }).success).toBe(false);
    expect(activityQuery.safeParse({ since: "2026-12-02T00:00:00Z", until: "2026-12-01T00:00:00Z" }).success).toBe(false);
  });
});
