import type Database from "better-sqlite3";

interface LedgerRow {
  id: number;
  field: string;
  before: number;
  after: number;
  delta: number;
  changeId: string;
  playerVersion: number;
}

/**
 * Replays one player's ledger straight from the database file and checks it against the stored
 * row: every row starts where the previous one for its field ended, and the last `after` of each
 * field is the stored value. Returns the problems found (empty = reconciles exactly).
 */
export function reconcilePlayer(raw: Database.Database, playerId: string, initial: { health: number; experience: number; level: number }): string[] {
  const problems: string[] = [];
  const stored = raw
    .prepare(`SELECT "health", "experiencePoints", "level", "version", "maxHealth" FROM "Player" WHERE "id" = ?`)
    .get(playerId) as { health: number; experiencePoints: number; level: number; version: number; maxHealth: number };
  const rows = raw
    .prepare(`SELECT "id", "field", "before", "after", "delta", "changeId", "playerVersion" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id"`)
    .all(playerId) as LedgerRow[];
  const current: Record<string, number> = { health: initial.health, experience: initial.experience, level: initial.level };
  for (const row of rows) {
    if (row.before !== current[row.field]) problems.push(`event ${row.id} (${row.field}) starts at ${row.before}, previous value was ${current[row.field]}`);
    if (row.after - row.before !== row.delta) problems.push(`event ${row.id} delta ${row.delta} ≠ after − before`);
    current[row.field] = row.after;
  }
  if (current.health !== stored.health) problems.push(`health: ledger replay ${current.health}, stored ${stored.health}`);
  if (current.experience !== stored.experiencePoints) problems.push(`experience: ledger replay ${current.experience}, stored ${stored.experiencePoints}`);
  if (current.level !== stored.level) problems.push(`level: ledger replay ${current.level}, stored ${stored.level}`);
  const changes = new Set(rows.map((row) => row.changeId)).size;
  if (stored.version !== 1 + changes) problems.push(`version ${stored.version}, but the ledger explains ${changes} writes (expected ${1 + changes})`);
  return problems;
}
