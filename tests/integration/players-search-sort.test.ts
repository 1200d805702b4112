import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { listPlayers } from "../../lib/persistence/list-players.ts";
import { createTestContext, system } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

/** The players list the console searches: by name, id prefix and room; filtered by status; health sorted by share. */
describe("players list: search, status filter, health share sort", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  async function seed() {
    const made = [
      // name, health, maxHealth, room
      ["Asenath", 40, 200, "innsmouth-harbour"], // 20 %
      ["Barzai", 30, 50, "ulthar-temple"], // 60 %
      ["Carter", 100, 100, "kadath"], // 100 %
      ["Dunwich Wilbur", 5, 10, "dunwich"], // 50 %
      ["Erich", -10, 100, "rue-d-auseil"], // dead
      ["Fenton 50%_test", 0, 80, "arkham"], // mortally wounded, a name with LIKE wildcards
    ] as const;
    const ids: Record<string, string> = {};
    for (const [name, health, maxHealth, room] of made) ids[name] = (await createPlayer(t.ctx, { name, health, maxHealth, currentRoomId: room }, system)).id;
    return ids;
  }

  it("sorts health by its share of maxHealth, not by points, in both directions and across pages", async () => {
    const ids = await seed();
    const names = async (order: "asc" | "desc") => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listPlayers(t.ctx, { sort: "health", order, limit: 2, cursor });
        seen.push(...page.items.map((player) => player.name));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    expect(await names("asc")).toEqual(["Erich", "Fenton 50%_test", "Asenath", "Dunwich Wilbur", "Barzai", "Carter"]);
    expect(await names("desc")).toEqual(["Carter", "Barzai", "Dunwich Wilbur", "Asenath", "Fenton 50%_test", "Erich"]);
    expect(Object.keys(ids)).toHaveLength(6);
  });

  it("finds players by name, id prefix and room (wildcards are literal on the health-share path)", async () => {
    const ids = await seed();
    const search = async (text: string, sort: "name" | "health" = "name") => (await listPlayers(t.ctx, { search: text, sort })).items.map((player) => player.name).sort();
    expect(await search("wich")).toEqual(["Dunwich Wilbur"]);
    expect(await search("ULTHAR")).toEqual(["Barzai"]);
    expect(await search(ids.Carter!.slice(0, 8))).toEqual(["Carter"]);
    expect(await search("50%_")).toEqual(["Fenton 50%_test"]);
    // The health-share path applies the same search.
    expect(await search("kadath", "health")).toEqual(["Carter"]);
    expect(await search("50%_", "health")).toEqual(["Fenton 50%_test"]);
    expect(await search("%", "health")).toEqual(["Fenton 50%_test"]);
  });

  it("filters by status with the same rule as each player's status", async () => {
    await seed();
    for (const status of ["alive", "mortally_wounded", "dead"] as const) {
      for (const sort of ["name", "health"] as const) {
        const page = await listPlayers(t.ctx, { status, sort });
        expect(page.items.length).toBeGreaterThan(0);
        expect(page.items.every((player) => player.status === status)).toBe(true);
        expect(page.total).toBe(page.items.length);
      }
    }
  });
});
