import Database from "better-sqlite3";
import { AppError } from "../errors/app-error.ts";

/** One row of the seed's `players` table (remediation plan, Appendix C), its JSON columns parsed. */
export interface AppendixCRow {
  player_id: string;
  name: string;
  current_room_id: string | null;
  profession_id: number | string | null;
  experience_points: number | null;
  level: number | null;
  /** Parsed `stats` JSON, or the parse error's message (the row is then refused, not skipped). */
  stats: unknown;
  inventory: unknown;
  status_effects: unknown;
}

const COLUMNS = ["player_id", "name", "current_room_id", "profession_id", "experience_points", "level", "stats", "inventory", "status_effects"] as const;

/**
 * Reads another game's SQLite file, read-only (the source is never written), in player_id order,
 * one row at a time: a file of any size is streamed, not loaded.
 */
export function* readAppendixCPlayers(file: string): Generator<AppendixCRow> {
  let source: Database.Database;
  try {
    source = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new AppError("invalid_input", `cannot open ${file} as SQLite: ${(error as Error).message}`);
  }
  try {
    const present = new Set((source.prepare(`SELECT name FROM pragma_table_info('players')`).all() as Array<{ name: string }>).map((column) => column.name));
    const missing = COLUMNS.filter((column) => !present.has(column));
    if (missing.length > 0) throw new AppError("invalid_input", `${file}: table "players" lacks ${missing.join(", ")} (the seed's Appendix C schema is expected)`);
    const rows = source.prepare(`SELECT ${COLUMNS.map((column) => `"${column}"`).join(", ")} FROM "players" ORDER BY "player_id"`).iterate() as IterableIterator<Record<(typeof COLUMNS)[number], unknown>>;
    for (const row of rows) {
      yield {
        player_id: String(row.player_id),
        name: String(row.name),
        current_room_id: row.current_room_id === null ? null : String(row.current_room_id),
        profession_id: row.profession_id as number | string | null,
        experience_points: row.experience_points as number | null,
        level: row.level as number | null,
        stats: parseJsonColumn(row.stats, "stats"),
        inventory: parseJsonColumn(row.inventory, "inventory"),
        status_effects: parseJsonColumn(row.status_effects, "status_effects"),
      };
    }
  } finally {
    source.close();
  }
}

/** A JSON text column: its value, null when NULL, or an Error when the text is not JSON. */
function parseJsonColumn(value: unknown, column: string): unknown {
  if (value === null || value === undefined) return null;
  try {
    return JSON.parse(String(value));
  } catch {
    return new Error(`${column} is not JSON`);
  }
}
