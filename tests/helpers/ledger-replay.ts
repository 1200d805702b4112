import type { RawSql } from "./test-database.ts";

interface LedgerRow {
  id: number;
  field: string;
  before: number;
  after: number;
  delta: number;
  beforeText: string | null;
  afterText: string | null;
  changeId: string;
  playerVersion: number;
}

/** Ledger fields that carry text (beforeText/afterText) or only explain a version bump. */
const nonNumericFields = new Set(["name", "room", "profession", "attributes", "inventory", "statusEffects", "version"]);

/**
 * Replays one player's ledger straight from the database and checks it against the stored row:
 * every row starts where the previous one for its field ended, and the last `after` of each field
 * is the stored value (built-ins from their columns, declared stats from "stats"); every version
 * from 2 to the stored one is explained by exactly one change. Returns the problems found (empty =
 * reconciles exactly). `initial` gives the values at creation (missing stats start at the first
 * row's `before`).
 */
export async function reconcilePlayer(sql: RawSql, playerId: string, initial: Record<string, number>): Promise<string[]> {
  const problems: string[] = [];
  const stored = (await sql.get<{ health: number; maxHealth: number; experiencePoints: number; level: number; version: number; stats: unknown }>(
    `SELECT "health", "maxHealth", "experiencePoints", "level", "version", "stats" FROM "Player" WHERE "id" = ?`,
    playerId,
  ))!;
  const rows = await sql.all<LedgerRow>(
    `SELECT "id", "field", "before", "after", "delta", "beforeText", "afterText", "changeId", "playerVersion" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id"`,
    playerId,
  );
  const current: Record<string, number> = { ...initial };
  for (const row of rows) {
    if (row.after - row.before !== row.delta) problems.push(`event ${row.id} delta ${row.delta} ≠ after − before`);
    if (nonNumericFields.has(row.field)) continue;
    if (row.field in current && row.before !== current[row.field]) problems.push(`event ${row.id} (${row.field}) starts at ${row.before}, previous value was ${current[row.field]}`);
    current[row.field] = row.after;
  }
  const stats = (typeof stored.stats === "string" ? JSON.parse(stored.stats) : stored.stats) as Record<string, number>;
  const storedValues: Record<string, number> = { ...stats, health: stored.health, maxHealth: stored.maxHealth, experience: stored.experiencePoints, level: stored.level };
  for (const [field, value] of Object.entries(current)) {
    if (storedValues[field] !== value) problems.push(`${field}: ledger replay ${value}, stored ${storedValues[field]}`);
  }
  // Each write bumps the version once and its rows carry the new version: versions 2…v, once each.
  const versions = new Map<number, Set<string>>();
  for (const row of rows) versions.set(row.playerVersion, (versions.get(row.playerVersion) ?? new Set()).add(row.changeId));
  const changes = new Set(rows.map((row) => row.changeId)).size;
  if (stored.version !== 1 + changes) problems.push(`version ${stored.version}, but the ledger explains ${changes} writes (expected ${1 + changes})`);
  for (let version = 2; version <= stored.version; version += 1) {
    const ids = versions.get(version);
    if (!ids || ids.size !== 1) problems.push(`version ${version} is explained by ${ids?.size ?? 0} changes, not 1`);
  }
  return problems;
}
