import { Prisma } from "./generated/client.ts";
import type { PersistenceContext } from "./persistence-context.ts";

/** A player ready to insert: validated, level derived, its name key computed. */
export interface ImportedPlayerRow {
  id: string;
  sourceId: string;
  name: string;
  nameKey: string;
  health: number;
  maxHealth: number;
  experiencePoints: number;
  level: number;
  currentRoomId: string | null;
  professionId: string | null;
  attributes: Prisma.InputJsonValue;
  inventory: Prisma.InputJsonValue;
  statusEffects: Prisma.InputJsonValue;
  stats: Prisma.InputJsonValue;
}

/** Which of these source ids are already imported from `source` (sourceId → player id). */
export async function findImportedSourceIds(ctx: PersistenceContext, source: string, sourceIds: string[]): Promise<Map<string, string>> {
  const rows = await ctx.db.playerImport.findMany({ where: { source, sourceId: { in: sourceIds } }, select: { sourceId: true, playerId: true } });
  return new Map(rows.map((row) => [row.sourceId, row.playerId]));
}

/** Which of these name keys a player already has. */
export async function findTakenNameKeys(ctx: PersistenceContext, nameKeys: string[]): Promise<Set<string>> {
  const rows = await ctx.db.player.findMany({ where: { nameKey: { in: nameKeys } }, select: { nameKey: true } });
  return new Set(rows.map((row) => row.nameKey).filter((key) => key !== null));
}

/**
 * Inserts a batch of imported players in ONE transaction: the players, where each came from, and
 * one ledgered write per player. Either the whole batch is in or none of it is, so an interrupted
 * import leaves no player without its provenance row or its ledger row, and a re-run (which skips
 * imported source ids) carries on where it stopped.
 *
 * The ledger row: an UPDATE that changes only the version, with reason `import`, makes the ledger
 * trigger write exactly one `version` row per player (the trigger's rule for a write that changed
 * no tracked field), its detail naming the source and the source id. Each player gets its own
 * changeId (`import-<id>`): the chain's head is computed over the rows of one changeId, so a batch
 * must not share one.
 */
export async function insertImportedPlayers(ctx: PersistenceContext, source: string, rows: ImportedPlayerRow[], actor: string): Promise<void> {
  if (rows.length === 0) return;
  const ids = Prisma.join(rows.map((row) => row.id));
  const detail = ctx.dialect === "postgresql"
    ? Prisma.sql`jsonb_build_object('source', i."source", 'sourceId', i."sourceId")`
    : Prisma.sql`json_object('source', i."source", 'sourceId', i."sourceId")`;
  await ctx.db.$transaction(async (tx) => {
    await tx.player.createMany({ data: rows.map(({ sourceId: _sourceId, ...player }) => player) });
    await tx.playerImport.createMany({ data: rows.map((row) => ({ source, sourceId: row.sourceId, playerId: row.id })) });
    await tx.$executeRaw(Prisma.sql`
      UPDATE "Player" SET
        "version" = "version" + 1,
        "changeId" = 'import-' || "id",
        "changeReason" = 'import',
        "changeActor" = ${actor},
        "changeActorKind" = 'staff',
        "changeRequestId" = NULL,
        "changeDetail" = (SELECT ${detail} FROM "PlayerImport" i WHERE i."playerId" = "Player"."id"),
        "changeAt" = NULL,
        "changeTouched" = NULL,
        "changeAudit" = 'player.import',
        "changeNote" = ${`imported from ${source}`}
      WHERE "id" IN (${ids})`);
  }, { timeout: 120_000 });
}
