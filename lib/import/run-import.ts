import { randomUUID } from "node:crypto";
import { AppError } from "../errors/app-error.ts";
import { initialStats } from "../player-operations/create-player.ts";
import { createPlayerSchema, playerNameKey } from "../player-operations/player-inputs.ts";
import { levelUnderRule } from "../stats/game-rules.ts";
import { findImportedSourceIds, findTakenNameKeys, insertImportedPlayers } from "../persistence/import-players.ts";
import type { ImportedPlayerRow } from "../persistence/import-players.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { isUniqueViolation } from "../persistence/prisma-errors.ts";
import type { ImportMapping } from "./import-mapping.ts";
import type { SourceRecord } from "./source-records.ts";

export interface ImportRefusal {
  sourceId: string;
  name: string;
  reason: string;
}

export interface ImportReport {
  source: string;
  /** true: nothing was written; `created` counts who would be. */
  dryRun: boolean;
  read: number;
  created: number;
  /** Already imported from this source by an earlier run: left as they are. */
  unchanged: number;
  refused: ImportRefusal[];
  /** The first few players created (or that would be), as they go in. */
  sample: Array<Pick<ImportedPlayerRow, "sourceId" | "name" | "health" | "maxHealth" | "experiencePoints" | "level" | "currentRoomId"> & { stats: unknown }>;
}

export interface ImportOptions {
  apply: boolean;
  /** The ledger's actor for the import rows, e.g. "cli:alice". */
  actor: string;
  /** Players per transaction (1–2000, default 500). */
  batchSize?: number;
  onProgress?: (report: ImportReport) => void;
}

const SAMPLE_SIZE = 5;

/**
 * Brings another game's players in. A dry run (the default) plans everything and writes nothing.
 * Every record is validated exactly as POST /api/v1/players would validate it (the same zod schema
 * and stat bounds); a bad value, a name taken in Pnakotic or twice in the source, or an unreadable
 * record refuses that player and is reported, and the others go in. Players go in by batches, each
 * batch one transaction (see insertImportedPlayers), so nothing partial is ever left; a re-run skips
 * every source id already imported.
 */
export async function runImport(ctx: PersistenceContext, records: Iterable<SourceRecord>, mapping: ImportMapping, options: ImportOptions): Promise<ImportReport> {
  const batchSize = Math.min(Math.max(1, options.batchSize ?? 500), 2_000);
  const report: ImportReport = { source: mapping.source, dryRun: !options.apply, read: 0, created: 0, unchanged: 0, refused: [], sample: [] };
  // name key → the source id that claimed it in this run; and the source ids seen (a source id twice is refused).
  const claimed = new Map<string, string>();
  const seen = new Set<string>();
  let batch: SourceRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await importBatch(ctx, batch, mapping, options, report, claimed);
    batch = [];
    options.onProgress?.(report);
  };
  for (const record of records) {
    report.read += 1;
    if (seen.has(record.sourceId)) {
      report.refused.push({ sourceId: record.sourceId, name: record.name, reason: "duplicate source id: this id appears more than once in the source" });
      continue;
    }
    seen.add(record.sourceId);
    batch.push(record);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  // Refusals are found in several passes over each batch; the report lists them in source order.
  report.refused.sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
  return report;
}

async function importBatch(ctx: PersistenceContext, records: SourceRecord[], mapping: ImportMapping, options: ImportOptions, report: ImportReport, claimed: Map<string, string>): Promise<void> {
  const imported = await findImportedSourceIds(ctx, mapping.source, records.map((record) => record.sourceId));
  const planned: Array<{ record: SourceRecord; row: ImportedPlayerRow }> = [];
  for (const record of records) {
    if (imported.has(record.sourceId)) {
      report.unchanged += 1;
      continue;
    }
    const outcome = await planPlayer(ctx, record, mapping);
    if (typeof outcome === "string") {
      report.refused.push({ sourceId: record.sourceId, name: record.name, reason: outcome });
      continue;
    }
    planned.push({ record, row: outcome });
  }
  const taken = await findTakenNameKeys(ctx, planned.map(({ row }) => row.nameKey));
  const rows: ImportedPlayerRow[] = [];
  for (const { record, row } of planned) {
    const earlier = claimed.get(row.nameKey);
    if (earlier !== undefined) {
      report.refused.push({ sourceId: record.sourceId, name: record.name, reason: `name collision: source id ${earlier} has the same name (names are unique regardless of case)` });
    } else if (taken.has(row.nameKey)) {
      report.refused.push({ sourceId: record.sourceId, name: record.name, reason: `name collision: a player named "${row.name}" already exists in Pnakotic` });
    } else {
      claimed.set(row.nameKey, record.sourceId);
      rows.push(row);
    }
  }
  if (options.apply) await insertOrRefuse(ctx, mapping.source, rows, options.actor, report);
  else report.created += rows.length;
  for (const row of rows.slice(0, Math.max(0, SAMPLE_SIZE - report.sample.length))) {
    report.sample.push({ sourceId: row.sourceId, name: row.name, health: row.health, maxHealth: row.maxHealth, experiencePoints: row.experiencePoints, level: row.level, currentRoomId: row.currentRoomId, stats: row.stats });
  }
}

/**
 * A name taken between the check and the insert (a game creating players meanwhile) fails the
 * batch's transaction as a whole; the batch is then retried one player at a time, so only the
 * players whose names were taken are refused.
 */
async function insertOrRefuse(ctx: PersistenceContext, source: string, rows: ImportedPlayerRow[], actor: string, report: ImportReport): Promise<void> {
  try {
    await insertImportedPlayers(ctx, source, rows, actor);
    report.created += rows.length;
    return;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  for (const row of rows) {
    try {
      await insertImportedPlayers(ctx, source, [row], actor);
      report.created += 1;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      report.refused.push({ sourceId: row.sourceId, name: row.name, reason: `name collision: a player named "${row.name}" was created in Pnakotic during the import` });
    }
  }
}

/** The player a record becomes under the mapping, or why it is refused. */
async function planPlayer(ctx: PersistenceContext, record: SourceRecord, mapping: ImportMapping): Promise<ImportedPlayerRow | string> {
  if (record.unreadable) return `unreadable: ${record.unreadable}`;
  const input: Record<string, unknown> & { attributes?: Record<string, unknown>; stats: Record<string, unknown> } = { name: record.name, stats: {} };
  const attribute = (key: string, value: unknown) => ((input.attributes ??= {})[key] = value);
  const covered = new Set<string>();
  for (const [field, target] of Object.entries(mapping.fields)) {
    covered.add(field.replace(/\.(base|delta)$/, ""));
    const value = record.fields.get(field);
    if (value === undefined || value === null || target === "ignore") continue;
    if (target === "health") input.health = value;
    else if (target === "maxHealth") input.maxHealth = value;
    else if (target === "experience") input.experiencePoints = value;
    else if (target === "currentRoomId" || target === "professionId") input[target] = String(value);
    else if (target === "inventory" || target === "statusEffects") input[target] = value;
    else if (target.startsWith("stats.")) input.stats[target.slice("stats.".length)] = value;
    else attribute(target.slice("attributes.".length), value);
  }
  for (const field of record.statFields) {
    if (covered.has(field)) continue;
    if (mapping.unmapped === "refuse") return `unmapped field ${field} (the mapping's "unmapped" is "refuse")`;
    if (mapping.unmapped === "attributes") attribute(field.slice(field.indexOf(".") + 1), record.fields.get(field));
  }
  const parsed = createPlayerSchema.safeParse(input);
  if (!parsed.success) return `bad value: ${parsed.error.issues.map((issue) => describeIssue(issue.path.join("."), issue.message)).join("; ")}`;
  const data = parsed.data;
  const rules = await ctx.stats.rules();
  if (data.health !== undefined && data.health < rules.healthFloor) return `bad value: health ${data.health} is below the floor ${rules.healthFloor}`;
  const health = data.health ?? data.maxHealth;
  // The same rule createPlayer follows: a level the game owns starts at 1, a derived one follows the XP.
  const level = levelUnderRule(rules.level, data.experiencePoints) ?? 1;
  let stats: Record<string, number>;
  try {
    stats = await initialStats(ctx, data.stats, { health, maxHealth: data.maxHealth, experience: data.experiencePoints, level });
  } catch (error) {
    if (error instanceof AppError) return `bad value: ${error.message}`;
    throw error;
  }
  const { health: _health, currentRoomId, professionId, stats: _given, ...values } = data;
  // The same columns createPlayer writes: health defaults to maxHealth, level follows the game's rule.
  return { ...values, id: randomUUID(), sourceId: record.sourceId, nameKey: playerNameKey(data.name), health, level, currentRoomId: currentRoomId ?? null, professionId: professionId ?? null, stats };
}


/** "maxHealth: Too big…", but not "health health must not exceed maxHealth" (zod messages often name their field). */
function describeIssue(path: string, message: string): string {
  return !path || message.startsWith(path) ? message : `${path}: ${message}`;
}
