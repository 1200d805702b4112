import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { AppError } from "../errors/app-error.ts";
import { readAppendixCPlayers } from "../persistence/read-appendix-c-players.ts";

/**
 * One player of another game's store, flattened to dotted field paths so a mapping file can name
 * any of its values. `statFields` are the fields that hold the source's stats (the seed's
 * `stats.*`, Ranvier's attributes): those the mapping does not name follow its `unmapped` rule.
 */
export interface SourceRecord {
  sourceId: string;
  name: string;
  fields: Map<string, unknown>;
  statFields: string[];
  /** Why the record cannot be read at all (a JSON column that is not JSON, a file that is not a player). */
  unreadable?: string;
}

/** The seed's Appendix C `players` table. */
export function* appendixCRecords(file: string): Generator<SourceRecord> {
  for (const row of readAppendixCPlayers(file)) {
    const fields = new Map<string, unknown>(Object.entries(row).filter(([column]) => column !== "stats"));
    const statFields: string[] = [];
    const problems = [row.stats, row.inventory, row.status_effects].filter((value) => value instanceof Error).map((error) => (error as Error).message);
    if (row.stats !== null && !(row.stats instanceof Error)) {
      if (typeof row.stats !== "object" || Array.isArray(row.stats)) problems.push("stats is not a JSON object");
      else
        for (const [key, value] of Object.entries(row.stats)) {
          fields.set(`stats.${key}`, value);
          statFields.push(`stats.${key}`);
        }
    }
    yield { sourceId: row.player_id, name: row.name, fields, statFields, ...(problems.length > 0 ? { unreadable: problems.join("; ") } : {}) };
  }
}

/** A Ranvier player file larger than this is refused rather than read (they are a few kB). */
const MAX_RANVIER_FILE_BYTES = 1_000_000;

/**
 * Ranvier's `data/player/<name>.json` files (what its JSON DataSource writes: `player.serialize()`).
 * An attribute `{ base, delta }` becomes `attributes.<name>` = base + delta (the current value),
 * `attributes.<name>.base` and `attributes.<name>.delta`. The source id is the file's name
 * (Ranvier keys players by lower-cased name).
 */
export function* ranvierRecords(directory: string): Generator<SourceRecord> {
  let files: string[];
  try {
    files = readdirSync(directory).filter((file) => file.endsWith(".json")).sort();
  } catch (error) {
    throw new AppError("invalid_input", `cannot read the directory ${directory}: ${(error as Error).message}`);
  }
  for (const file of files) {
    const sourceId = file.slice(0, -".json".length);
    const fields = new Map<string, unknown>();
    const statFields: string[] = [];
    const full = path.join(directory, file);
    let data: unknown;
    try {
      if (statSync(full).size > MAX_RANVIER_FILE_BYTES) throw new Error(`larger than ${MAX_RANVIER_FILE_BYTES} bytes`);
      data = JSON.parse(readFileSync(full, "utf8"));
    } catch (error) {
      yield { sourceId, name: sourceId, fields, statFields, unreadable: `${file}: ${(error as Error).message}` };
      continue;
    }
    if (typeof data !== "object" || data === null || Array.isArray(data) || typeof (data as { name?: unknown }).name !== "string") {
      yield { sourceId, name: sourceId, fields, statFields, unreadable: `${file} is not a Ranvier player (no "name")` };
      continue;
    }
    const player = data as Record<string, unknown>;
    for (const [key, value] of Object.entries(player)) if (key !== "attributes") fields.set(key, value);
    const problems: string[] = [];
    for (const [name, attribute] of Object.entries((player.attributes ?? {}) as Record<string, unknown>)) {
      const { base, delta = 0 } = (attribute ?? {}) as { base?: unknown; delta?: unknown };
      if (typeof base !== "number" || typeof delta !== "number") {
        problems.push(`attribute ${name} is not { base, delta } numbers`);
        continue;
      }
      fields.set(`attributes.${name}`, base + delta);
      fields.set(`attributes.${name}.base`, base);
      fields.set(`attributes.${name}.delta`, delta);
      statFields.push(`attributes.${name}`);
    }
    yield { sourceId, name: String(player.name), fields, statFields, ...(problems.length > 0 ? { unreadable: problems.join("; ") } : {}) };
  }
}
