import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { playerTimeline } from "../../lib/players/player-timeline.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { damagePlayer } from "../../lib/player-operations/damage-player.ts";
import { gainExperience } from "../../lib/player-operations/gain-experience.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };
const MINUTE = 60_000;

/** The player page's timeline read (lib/players/player-timeline.ts) on SQLite and PostgreSQL. */
describe("player timeline", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  it("steps 100 → 90 → 80 → 70 with a marker per change, marks the XP gain on the health line, and cuts a custom window", async () => {
    const now = Date.now();
    const { id } = await createPlayer(t.ctx, { name: "Ithaqua", experiencePoints: 554 }, system);
    for (const [minutesAgo, amount] of [[40, 10], [30, 10], [20, 10]] as const) await damagePlayer(t.ctx, id, amount, {}, { ...service, at: new Date(now - minutesAgo * MINUTE) });
    await gainExperience(t.ctx, id, 1, {}, { ...service, at: new Date(now - 10 * MINUTE) });

    const health = await playerTimeline(t.ctx, id, { field: "health", range: "1h" }, now);
    expect(health.rowsRead).toBe(4);
    const marked = health.points.filter((point) => point.marker !== null);
    expect(marked.map((point) => [point.t, point.value, point.marker!.reason])).toEqual([
      [now - 40 * MINUTE, 90, "damage"],
      [now - 30 * MINUTE, 80, "damage"],
      [now - 20 * MINUTE, 70, "damage"],
      [now - 10 * MINUTE, 70, "experience"],
    ]);
    expect(health.points.at(-1)!.value).toBe(70);

    const experience = await playerTimeline(t.ctx, id, { field: "experience", range: "1h" }, now);
    expect(experience.rowsRead).toBe(1);
    expect(experience.points.at(-1)!.value).toBe(555);

    // 35 → 15 minutes ago: the second and third damage only; the line ends at the value then (70).
    const window = await playerTimeline(t.ctx, id, { field: "health", since: new Date(now - 35 * MINUTE), until: new Date(now - 15 * MINUTE) }, now);
    expect(window.points.filter((point) => point.marker !== null).map((point) => point.value)).toEqual([80, 70]);
    expect(window.range).toEqual({ since: new Date(now - 35 * MINUTE).toISOString(), until: new Date(now - 15 * MINUTE).toISOString() });
  });
});
