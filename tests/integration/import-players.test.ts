import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendixCDefaultMapping, ranvierDefaultMapping } from "../../lib/import/import-mapping.ts";
import { runImport } from "../../lib/import/run-import.ts";
import { appendixCRecords, ranvierRecords } from "../../lib/import/source-records.ts";
import { runIntegrityCheck } from "../../lib/integrity/run-integrity-check.ts";
import { exportPlayerLedger, verifyLedgerExport } from "../../lib/ledger/ledger-export.ts";
import { createPlayer } from "../../lib/player-operations/create-player.ts";
import { createTestContext } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

const operator = { actor: { name: "cli:test", kind: "staff" as const } };
const PLAYERS = 10_000;

/** The seed's Appendix C table, verbatim, with `count` players; four of them are bad on purpose. */
function writeAppendixCFile(file: string, count: number): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE players (
    player_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, current_room_id TEXT,
    profession_id INTEGER DEFAULT 0, experience_points INTEGER DEFAULT 0, level INTEGER DEFAULT 1,
    stats TEXT, inventory TEXT, status_effects TEXT, created_at TEXT, last_active TEXT, is_admin INTEGER DEFAULT 0)`);
  const insert = db.prepare(`INSERT INTO players (player_id, user_id, name, current_room_id, profession_id, experience_points, level, stats, inventory, status_effects, created_at, last_active)
    VALUES (?, ?, ?, ?, 0, ?, 1, ?, ?, '[]', '2025-11-02T13:40:00Z', '2025-11-02T13:41:19Z')`);
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const id = `p-${String(i).padStart(5, "0")}`;
      let name = `Investigator${i}`;
      let stats = JSON.stringify({ strength: 10 + (i % 8), current_health: 40 + (i % 61), max_health: 100, experience_points: i, lucidity: 100 });
      if (i === 1) name = "Ithaqua"; // taken in Pnakotic already
      if (i === 2) name = "INVESTIGATOR0"; // the same name as p-00000, regardless of case
      if (i === 3) stats = JSON.stringify({ current_health: 150, max_health: 100, experience_points: 1 }); // health above its maximum
      if (i === 4) stats = "{not json";
      insert.run(id, `user-${i}`, name, i % 3 === 0 ? "arkham_001" : null, 554 + i, stats, JSON.stringify([{ item: "lantern" }]));
    }
  })();
  db.close();
}

describe("npm run admin -- import", () => {
  let t: TestContext;
  let dir: string;
  beforeAll(async () => {
    t = await createTestContext();
    dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-import-"));
    writeAppendixCFile(path.join(dir, "players.db"), PLAYERS);
    await createPlayer(t.ctx, { name: "Ithaqua" }, operator);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const counts = async () => ({
    players: (await t.sql.get<{ n: number }>(`SELECT count(*) AS "n" FROM "Player"`))!.n,
    events: (await t.sql.get<{ n: number }>(`SELECT count(*) AS "n" FROM "PlayerEvent"`))!.n,
    imports: (await t.sql.get<{ n: number }>(`SELECT count(*) AS "n" FROM "PlayerImport"`))!.n,
  });
  const importFile = (apply: boolean) => runImport(t.ctx, appendixCRecords(path.join(dir, "players.db")), appendixCDefaultMapping, { apply, actor: "cli:test" });
  const expectedRefusals = [
    { sourceId: "p-00001", reason: expect.stringMatching(/^name collision: a player named "Ithaqua" already exists/) },
    { sourceId: "p-00002", reason: expect.stringMatching(/^name collision: source id p-00000 has the same name/) },
    { sourceId: "p-00003", reason: expect.stringMatching(/^bad value: health must not exceed maxHealth/) },
    { sourceId: "p-00004", reason: expect.stringMatching(/^unreadable: stats is not JSON/) },
  ];

  it(`an Appendix C file of ${PLAYERS.toLocaleString("en")} players: a dry run changes nothing, an apply imports all but the refused with one import row each, a re-apply changes nothing`, async () => {
    const before = await counts();
    const dry = await importFile(false);
    expect(dry).toMatchObject({ dryRun: true, read: PLAYERS, created: PLAYERS - 4, unchanged: 0 });
    expect(dry.refused.map(({ sourceId, reason }) => ({ sourceId, reason }))).toEqual(expectedRefusals);
    expect(dry.sample[0]).toMatchObject({ sourceId: "p-00000", name: "Investigator0", health: 40, maxHealth: 100, experiencePoints: 0, currentRoomId: "arkham_001" });
    expect(await counts()).toEqual(before);

    const started = performance.now();
    const applied = await importFile(true);
    const seconds = (performance.now() - started) / 1000;
    console.log(`import (${t.dialect}): ${applied.created} players applied in ${seconds.toFixed(1)} s (${Math.round(applied.created / seconds)} players/s)`);
    expect(applied).toMatchObject({ dryRun: false, read: PLAYERS, created: PLAYERS - 4, unchanged: 0 });
    expect(applied.refused.map(({ sourceId, reason }) => ({ sourceId, reason }))).toEqual(expectedRefusals);
    const after = await counts();
    expect(after).toEqual({ players: before.players + PLAYERS - 4, events: before.events + PLAYERS - 4, imports: PLAYERS - 4 });
    const perPlayer = await t.sql.all<{ reason: string; field: string; n: number }>(`SELECT "reason", "field", count(*) AS "n" FROM "PlayerEvent" GROUP BY "reason", "field"`);
    expect(perPlayer).toEqual([{ reason: "import", field: "version", n: PLAYERS - 4 }]);

    // One player in detail: the values the mapping named, the rest of its stats as attributes.
    const row = (await t.sql.get<Record<string, unknown>>(`SELECT p."name", p."health", p."maxHealth", p."experiencePoints", p."level", p."currentRoomId", p."attributes", p."version", e."detail", e."actor" FROM "Player" p JOIN "PlayerImport" i ON i."playerId" = p."id" JOIN "PlayerEvent" e ON e."playerId" = p."id" WHERE i."sourceId" = 'p-00123'`))!;
    const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
    expect({ ...row, attributes: json(row.attributes), detail: json(row.detail) }).toEqual({
      name: "Investigator123", health: 40 + (123 % 61), maxHealth: 100, experiencePoints: 123, level: expect.any(Number), currentRoomId: "arkham_001",
      attributes: { strength: 10 + (123 % 8), lucidity: 100 }, version: 2, detail: { source: "mythosmud", sourceId: "p-00123" }, actor: "cli:test",
    });

    // The imported player's ledger exports and verifies, and the integrity check finds nothing.
    const lines: string[] = [];
    for await (const line of exportPlayerLedger(t.ctx, "investigator123")) lines.push(line);
    expect(await verifyLedgerExport(lines)).toMatchObject({ ok: true, rows: 1, problems: [] });
    expect((await runIntegrityCheck(t.ctx, { trigger: "manual", actor: "test" })).findings).toEqual([]);

    const again = await importFile(true);
    expect(again).toMatchObject({ created: 0, unchanged: PLAYERS - 4 });
    expect(again.refused.map(({ sourceId }) => sourceId)).toEqual(["p-00001", "p-00002", "p-00003", "p-00004"]);
    expect(await counts()).toEqual(after);
  }, 600_000);

  it("a Ranvier data/player directory: health from { base, delta }, attributes kept, a bad file refused, idempotent", async () => {
    const players = path.join(dir, "data/player");
    mkdirSync(players, { recursive: true });
    const ranvierPlayer = (name: string, health: { base: number; delta: number }) => ({ name, account: name.toLowerCase(), level: 3, experience: 250, room: "limbo:white", attributes: { health, strength: { base: 20, delta: 0 }, mana: { base: 50, delta: -10 } }, inventory: null, metadata: {} });
    writeFileSync(path.join(players, "rooster.json"), JSON.stringify(ranvierPlayer("Rooster", { base: 100, delta: -30 })));
    writeFileSync(path.join(players, "wyrm.json"), JSON.stringify(ranvierPlayer("Wyrm", { base: 120, delta: 0 })));
    writeFileSync(path.join(players, "broken.json"), "{");
    const run = (apply: boolean) => runImport(t.ctx, ranvierRecords(players), ranvierDefaultMapping, { apply, actor: "cli:test" });
    expect(await run(false)).toMatchObject({ created: 2, refused: [{ sourceId: "broken", reason: expect.stringMatching(/^unreadable: broken\.json/) }] });
    const applied = await run(true);
    expect(applied.sample).toEqual([
      { sourceId: "rooster", name: "Rooster", health: 70, maxHealth: 100, experiencePoints: 250, level: expect.any(Number), currentRoomId: "limbo:white", stats: {} },
      { sourceId: "wyrm", name: "Wyrm", health: 120, maxHealth: 120, experiencePoints: 250, level: expect.any(Number), currentRoomId: "limbo:white", stats: {} },
    ]);
    const rooster = (await t.sql.get<{ attributes: unknown }>(`SELECT "attributes" FROM "Player" WHERE "name" = 'Rooster'`))!;
    expect(typeof rooster.attributes === "string" ? JSON.parse(rooster.attributes) : rooster.attributes).toEqual({ strength: 20, mana: 40 });
    expect(await run(true)).toMatchObject({ created: 0, unchanged: 2 });
  }, 120_000);
});
