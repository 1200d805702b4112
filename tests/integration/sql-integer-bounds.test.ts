import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { savePlayer } from "../../lib/player-operations/save-player.ts";
import { updateStats } from "../../lib/player-operations/update-stats.ts";
import { listPlayerEvents } from "../../lib/persistence/list-player-events.ts";
import { playerStateAt } from "../../lib/history/player-state-at.ts";
import { declareStats } from "../../lib/stats/declare-stats.ts";
import { parseIfMatch } from "../../lib/http/if-match.ts";
import { SQL_INTEGER_MAX } from "../../lib/validation/sql-integer.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";
import { reconcilePlayer } from "../helpers/ledger-replay.ts";

const service = { actor: { name: "game-server", kind: "service" as const } };

/**
 * Issue 20 #9: PostgreSQL's columns are 32-bit; values past them answered 500 ("integer out of
 * range") where SQLite answered 404/409/200. The API now bounds every number that reaches SQL so
 * sums and deltas fit, and answers 422 beyond. Same answers on both databases.
 */
describe("numbers that reach SQL stay within 32 bits", () => {
  // One database for the file: each test has its own stats and players.
  let t: TestContext;
  beforeAll(async () => (t = await createTestContext()));
  afterAll(() => t.close());

  it("a stat moved from its highest to its lowest allowed value, and an add past its bound, clamp instead of overflowing", async () => {
    const limit = 1_073_741_823;
    await declareStats(t.ctx, [{ key: "wide", label: "Wide", min: -limit, max: limit, default: 0 }], system);
    const { id } = await createPlayer(t.ctx, { name: "Wide" }, system);
    await updateStats(t.ctx, id, { changes: [{ stat: "wide", op: "set", value: limit }] }, service);
    // The ledger's delta is -2 * limit: the widest any change can be.
    const low = await updateStats(t.ctx, id, { changes: [{ stat: "wide", op: "set", value: -limit }] }, service);
    expect(low.player.stats.wide).toBe(-limit);
    await updateStats(t.ctx, id, { changes: [{ stat: "wide", op: "set", value: limit - 10 }] }, service);
    const clamped = await updateStats(t.ctx, id, { changes: [{ stat: "wide", op: "add", value: limit }] }, service);
    expect(clamped.player.stats.wide).toBe(limit);
    expect(await reconcilePlayer(t.sql, id, { wide: 0 })).toEqual([]);
  });

  it("refuses with 422, before SQL, bounds and values whose sums could leave 32 bits (the issue's ±2e9 stat)", async () => {
    await expect(declareStats(t.ctx, [{ key: "huge", label: "Huge", min: -2e9, max: 2e9, default: 0 }], system)).rejects.toMatchObject({ code: "invalid_input" });
    await declareStats(t.ctx, [{ key: "coins", label: "Coins", min: 0, max: 1_000_000_000, default: 0 }], system);
    const { id } = await createPlayer(t.ctx, { name: "Rich" }, system);
    await expect(updateStats(t.ctx, id, { changes: [{ stat: "coins", op: "add", value: 2e9 }] }, service)).rejects.toMatchObject({ code: "invalid_input" });
    // Within the limits, 0.9e9 + 1e9 clamps to the bound.
    await updateStats(t.ctx, id, { changes: [{ stat: "coins", op: "set", value: 900_000_000 }] }, service);
    const clamped = await updateStats(t.ctx, id, { changes: [{ stat: "coins", op: "add", value: 1_000_000_000 }] }, service);
    expect(clamped.player.stats.coins).toBe(1_000_000_000);
  });

  it("answers 422 for versions, event ids and cursors past 2^31 - 1, and the usual answers just inside", async () => {
    const { id } = await createPlayer(t.ctx, { name: "Bounds" }, system);
    const past = SQL_INTEGER_MAX + 1;
    const body = { name: "Bounds", experiencePoints: 0, health: 100, maxHealth: 100, attributes: {}, inventory: [], statusEffects: [] };
    await expect(savePlayer(t.ctx, id, body, past, service)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(savePlayer(t.ctx, id, body, SQL_INTEGER_MAX, service)).rejects.toMatchObject({ code: "stale_version" });
    await expect(listPlayerEvents(t.ctx, id, { cursor: String(past) })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(listPlayerEvents(t.ctx, id, { cursor: String(SQL_INTEGER_MAX) })).resolves.toMatchObject({ items: [] });
    await expect(playerStateAt(t.ctx, id, { event: past })).rejects.toMatchObject({ code: "invalid_input" });
    expect(() => parseIfMatch(new Headers({ "If-Match": `"${past}"` }), true)).toThrow(expect.objectContaining({ code: "invalid_input" }));
    expect(parseIfMatch(new Headers({ "If-Match": `"${SQL_INTEGER_MAX}"` }), true)).toBe(SQL_INTEGER_MAX);
  });
});
