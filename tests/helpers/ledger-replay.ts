import type { RawSql } from "./test-database.ts";

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
 * Replays one player's ledger straight from the database and checks it against the stored row:
 * every row starts where the previous one for its field ended, and the last `after` of each field
 * is the stored value; the version is 1 + the number of writes. Returns the problems found (empty =
 * reconciles exactly).
 */
export async function reconcilePlayer(sql: RawSql, playerId: string, initial: { health: number; experience: number; level: number }): Promise<string[]> {
  const problems: string[] = [];
  const stored = (await sql.get<{ health: number; experiencePoints: number; level: number; version: number }>(
    `SELECT "health", "experiencePoints", "level", "version" FROM "Player" WHERE "id" = ?`,
    playerId,
  ))!;
  const rows = await sql.all<LedgerRow>(
    `SELECT "id", "field", "before", "after", "delta", "changeId", "playerVersion" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id"`,
    playerId,
  );
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
