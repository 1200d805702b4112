/**
 * The console benchmark's data: a SQLite file with every migration applied, then `players` players
 * and `eventsPerPlayer` ledger rows each, written with plain prepared INSERTs in large transactions
 * (the app's write path would take hours for 10,000,000 rows; this takes minutes). The data is
 * shaped like a live game's: health spread over every status, rooms, recent activity, and one
 * "busy" player with many more rows than the rest.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { createTestDatabaseFile } from "../tests/helpers/test-database.ts";

export interface ConsoleFixtureOptions {
  players: number;
  eventsPerPlayer: number;
  /** Rows of the one busy player (its page and timeline are measured). */
  busyPlayerEvents: number;
}

export interface ConsoleFixture {
  file: string;
  remove: () => void;
  busyPlayerId: string;
  /** A name in the middle of the list, a room, and an id prefix to search for. */
  probes: { name: string; room: string; idPrefix: string };
  rows: number;
  buildSeconds: number;
}

const sqliteDate = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const ROOMS = 500;
const BATCH = 50_000;

export function buildConsoleFixture(options: ConsoleFixtureOptions): ConsoleFixture {
  const started = performance.now();
  const { file, remove } = createTestDatabaseFile();
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  // Indexes are built once after the load: maintaining them row by row is most of the cost.
  const indexes = db
    .prepare(`SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" IN ('Player', 'PlayerEvent') AND "sql" IS NOT NULL AND "name" <> 'Player_name_key'`)
    .all() as Array<{ name: string; sql: string }>;
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  const now = Date.now();
  const insertPlayer = db.prepare(
    `INSERT INTO "Player" ("id", "name", "currentRoomId", "level", "experiencePoints", "health", "maxHealth", "attributes", "inventory", "statusEffects", "version", "createdAt", "updatedAt", "lastActiveAt")
     VALUES (?, ?, ?, 1, ?, ?, ?, '{}', '[]', '[]', ?, ?, ?, ?)`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "detail", "actor", "requestId", "changeId", "playerVersion")
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'bench', NULL, ?, ?)`,
  );

  const ids: string[] = [];
  let busyPlayerId = "";
  const writePlayers = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const id = randomUUID();
      ids.push(id);
      if (i === 0) busyPlayerId = id;
      const maxHealth = 50 + (i % 151);
      // Every status occurs: 2 % dead (at the floor −10), 3 % mortally wounded, the rest alive.
      const health = i % 50 === 7 ? -10 : i % 33 === 5 ? -(i % 9) : 1 + ((i * 37) % maxHealth);
      const events = i === 0 ? options.busyPlayerEvents : options.eventsPerPlayer;
      insertPlayer.run(id, `player-${String(i).padStart(7, "0")}`, `room-${i % ROOMS}`, i * 10, health, maxHealth, events + 1, sqliteDate(now - i * 1_000), sqliteDate(now - (i % 3_600) * 1_000), sqliteDate(now - (i % 7_200) * 1_000));
    }
  });
  for (let from = 0; from < options.players; from += BATCH) writePlayers(from, Math.min(options.players, from + BATCH));

  // Ledger rows: health steps (−5 / +5 within bounds) and every 10th an XP gain.
  let rows = 0;
  const writeEvents = db.transaction((playerIndex: number, from: number, to: number, total: number) => {
    const playerId = ids[playerIndex]!;
    let health = 100;
    for (let n = from; n < to; n += 1) {
      const at = sqliteDate(now - (total - n) * 2_000);
      if (n % 10 === 9) {
        insertEvent.run(playerId, at, "experience", 5, n * 5, n * 5 + 5, "experience", `${playerIndex}:${n}`, n + 2);
      } else {
        const delta = health <= 10 ? 5 : n % 3 === 0 ? 5 : -5;
        insertEvent.run(playerId, at, "health", delta, health, health + delta, delta < 0 ? "damage" : "heal", `${playerIndex}:${n}`, n + 2);
        health += delta;
      }
      rows += 1;
    }
  });
  for (let playerIndex = 0; playerIndex < ids.length; ) {
    // Group players so each transaction holds about BATCH rows.
    const total = playerIndex === 0 ? options.busyPlayerEvents : options.eventsPerPlayer;
    if (playerIndex === 0 || options.eventsPerPlayer >= BATCH) {
      for (let from = 0; from < total; from += BATCH) writeEvents(playerIndex, from, Math.min(total, from + BATCH), total);
      playerIndex += 1;
      continue;
    }
    const group = Math.max(1, Math.floor(BATCH / Math.max(1, options.eventsPerPlayer)));
    db.transaction(() => {
      for (let k = 0; k < group && playerIndex < ids.length; k += 1, playerIndex += 1) writeEvents(playerIndex, 0, options.eventsPerPlayer, options.eventsPerPlayer);
    })();
  }
  for (const index of indexes) db.exec(index.sql);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.exec("ANALYZE");
  db.close();
  const middle = Math.floor(options.players / 2);
  return {
    file,
    remove,
    busyPlayerId,
    probes: { name: `player-${String(middle).padStart(7, "0")}`, room: `room-${middle % ROOMS}`, idPrefix: ids[middle]!.slice(0, 8) },
    rows,
    buildSeconds: (performance.now() - started) / 1000,
  };
}
