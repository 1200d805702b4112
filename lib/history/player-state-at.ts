import { latestBase } from "../ledger/ledger-anchors.ts";
import { z } from "zod";
import { Prisma } from "../persistence/generated/client.ts";
import { AppError, playerNotFound } from "../errors/app-error.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { jsonLedgerFields, statValues, textLedgerColumns } from "../persistence/player-record.ts";
import type { JsonLedgerField } from "../persistence/player-record.ts";
import { unavailableError } from "../persistence/prisma-errors.ts";
import { playerIdSchema } from "../player-operations/player-inputs.ts";
import { builtinStatColumn, isBuiltinStat } from "../stats/stat-definition.ts";
import { parseInput } from "../validation/parse-input.ts";
import { SQL_INTEGER_MAX } from "../validation/sql-integer.ts";

/** Text fields the ledger tracks next to the stats. */
const textFields = textLedgerColumns;

export const stateAtSchema = z
  .strictObject({
    /** A moment: the state after every change made at or before it. */
    at: z.date().optional(),
    /** A ledger event: the state right after that event's change. */
    event: z.number().int().min(1).max(SQL_INTEGER_MAX, `event is a ledger event id, at most ${SQL_INTEGER_MAX}`).optional(),
    /** A player version: the state that version had (a stale whole save's base). */
    version: z.number().int().min(1).max(SQL_INTEGER_MAX, `version is at most ${SQL_INTEGER_MAX}`).optional(),
  })
  .refine((query) => [query.at, query.event, query.version].filter((value) => value !== undefined).length === 1, { message: "give exactly one of at, event or version" });
export type StateAtQuery = z.input<typeof stateAtSchema>;

export interface PlayerStateAt {
  playerId: string;
  /** The last ledger event included (null: before the first change). */
  eventId: number | null;
  /** The player's version at that point. */
  version: number;
  at: string | null;
  /** Every tracked stat: health, maxHealth, experience, level and the declared stats. */
  stats: Record<string, number>;
  name: string;
  room: string | null;
  profession: string | null;
  /** The JSON columns (attributes, inventory, statusEffects) as they were, from their ledger rows. */
  json: Record<JsonLedgerField, unknown>;
}

/**
 * A player as they were at a moment or right after a ledger event, rebuilt from the ledger: each
 * field's value is the `after` of its last row up to that point, or — if it only changed later — the
 * `before` of its first later row, or — if it never changed — its stored value. One index seek per
 * field ((playerId, field, id)), so the cost does not grow with the length of the history.
 */
export async function playerStateAt(ctx: PersistenceContext, playerId: string, query: StateAtQuery): Promise<PlayerStateAt> {
  const id = parseInput(playerIdSchema, playerId, "player id");
  const { at, event, version } = parseInput(stateAtSchema, query, "query");
  try {
    const player = await ctx.db.player.findUnique({
      where: { id },
      select: { id: true, name: true, currentRoomId: true, professionId: true, health: true, maxHealth: true, experiencePoints: true, level: true, stats: true, version: true, createdAt: true, attributes: true, inventory: true, statusEffects: true },
    });
    if (!player) throw playerNotFound(id);
    // What a prune removed is summed up in the base: moments after it still rebuild, earlier ones are gone.
    const base = await latestBase(ctx, id);
    const pruned = (what: string) =>
      new AppError("history_pruned", `Player ${id}'s ledger up to event ${base!.throughEventId} (${base!.throughAt.toISOString()}) was pruned: ${what} is no longer available`, {
        extensions: { playerId: id, prunedThroughEvent: base!.throughEventId, prunedThroughAt: base!.throughAt.toISOString() },
      });
    let upTo: { id: number; at: Date; playerVersion: number } | null;
    if (event !== undefined) {
      if (base && event < base.throughEventId) throw pruned(`event ${event}`);
      upTo = base && event === base.throughEventId ? { id: base.throughEventId, at: base.throughAt, playerVersion: base.version } : await ctx.db.playerEvent.findFirst({ where: { id: event, playerId: id }, select: { id: true, at: true, playerVersion: true } });
      if (!upTo) throw new AppError("not_found", `Player ${id} has no ledger event ${event}`, { extensions: { playerId: id, event } });
    } else if (version !== undefined) {
      if (version > player.version) throw new AppError("not_found", `Player ${id} has no version ${version} (it is at ${player.version})`, { extensions: { playerId: id, version } });
      if (base && version < base.version) throw pruned(`version ${version}`);
      // Every write leaves at least one row stamped with the version it made (a "version" row when
      // no tracked field changed), so the last row at or below the version ends that version's state.
      upTo = await ctx.db.playerEvent.findFirst({ where: { playerId: id, playerVersion: { lte: version } }, orderBy: { id: "desc" }, select: { id: true, at: true, playerVersion: true } });
      if (base && (!upTo || upTo.id <= base.throughEventId)) upTo = { id: base.throughEventId, at: base.throughAt, playerVersion: base.version };
    } else {
      if (at! < player.createdAt) {
        throw new AppError("invalid_input", `Player ${id} did not exist yet at ${at!.toISOString()} (created ${player.createdAt.toISOString()})`, {
          issues: [{ path: "at", message: "is before the player was created" }],
        });
      }
      if (base && at! < base.throughAt) throw pruned(`the state at ${at!.toISOString()}`);
      // The last change by time, one backward seek on (playerId, at): ordering by id instead would
      // scan every later row for a moment early in a long history.
      upTo = await ctx.db.playerEvent.findFirst({ where: { playerId: id, at: { lte: at } }, orderBy: [{ at: "desc" }, { id: "desc" }], select: { id: true, at: true, playerVersion: true } });
      if (!upTo && base) upTo = { id: base.throughEventId, at: base.throughAt, playerVersion: base.version };
    }
    const lastId = upTo?.id ?? 0;
    const baseState = base && isRecord(base.state) ? base.state : {};
    const stats = await ctx.stats.byKey();
    const stored = statValues(player.stats);
    const fields = [...stats.keys(), ...Object.keys(textFields), ...jsonLedgerFields];
    const neighbours = await neighbouringRows(ctx, id, fields, lastId);
    const values = fields.map((field) => {
      const { last, next } = neighbours.get(field) ?? {};
      const text = field in textFields || isJsonField(field);
      if (last) return [field, text ? last.afterText : last.after] as const;
      if (field in baseState) return [field, baseState[field] as number | string | null] as const;
      if (next) return [field, text ? next.beforeText : next.before] as const;
      if (isJsonField(field)) return [field, JSON.stringify(player[field])] as const;
      if (field in textFields) return [field, player[textFields[field as keyof typeof textFields]]] as const;
      if (isBuiltinStat(field)) return [field, player[builtinStatColumn[field]]] as const;
      return [field, stored[field] ?? stats.get(field)!.default] as const;
    });
    const byField = Object.fromEntries(values) as Record<string, number | string | null>;
    return {
      playerId: id,
      eventId: upTo?.id ?? null,
      version: version ?? upTo?.playerVersion ?? 1,
      at: upTo?.at.toISOString() ?? null,
      stats: Object.fromEntries([...stats.keys()].map((key) => [key, byField[key] as number])),
      name: byField.name as string,
      room: byField.room as string | null,
      profession: byField.profession as string | null,
      json: Object.fromEntries(jsonLedgerFields.map((field) => [field, parseJsonText(byField[field])])) as Record<JsonLedgerField, unknown>,
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    ctx.metrics.recordError("read");
    ctx.logger.error({ module: "history", operation: "state-at", playerId: id, err: error }, "state-at read failed");
    throw unavailableError(error) ?? error;
  }
}

const isJsonField = (field: string): field is JsonLedgerField => (jsonLedgerFields as readonly string[]).includes(field);

/** A JSON column's ledgered text; a row from before the column was ledgered cannot exist, so text is always JSON. */
function parseJsonText(value: number | string | null | undefined): unknown {
  return typeof value === "string" ? JSON.parse(value) : null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

interface NeighbourRow {
  before: number;
  after: number;
  beforeText: string | null;
  afterText: string | null;
}

/**
 * For every field, its last row up to `lastId` and its first row after it: two statements whatever
 * the number of fields, each field one index seek ((playerId, field, id)) in either direction.
 */
async function neighbouringRows(ctx: PersistenceContext, playerId: string, fields: string[], lastId: number): Promise<Map<string, { last?: NeighbourRow; next?: NeighbourRow }>> {
  const list = Prisma.join(fields.map((field, index) => (index === 0 ? Prisma.sql`SELECT ${field} AS "field"` : Prisma.sql`SELECT ${field}`)), " UNION ALL ");
  const ids = await ctx.db.$queryRaw<Array<{ field: string; lastId: number | bigint | null; nextId: number | bigint | null }>>(Prisma.sql`
    SELECT f."field",
      (SELECT e."id" FROM "PlayerEvent" e WHERE e."playerId" = ${playerId} AND e."field" = f."field" AND e."id" <= ${lastId} ORDER BY e."id" DESC LIMIT 1) AS "lastId",
      (SELECT e."id" FROM "PlayerEvent" e WHERE e."playerId" = ${playerId} AND e."field" = f."field" AND e."id" > ${lastId} ORDER BY e."id" ASC LIMIT 1) AS "nextId"
    FROM (${list}) f`);
  const wanted = ids.flatMap((row) => [row.lastId, row.nextId]).filter((value) => value !== null).map(Number);
  const rows = new Map(
    (await ctx.db.playerEvent.findMany({ where: { id: { in: wanted } }, select: { id: true, before: true, after: true, beforeText: true, afterText: true } })).map((row) => [row.id, row]),
  );
  return new Map(
    ids.map((row) => [
      row.field,
      { last: row.lastId === null ? undefined : rows.get(Number(row.lastId)), next: row.nextId === null ? undefined : rows.get(Number(row.nextId)) },
    ]),
  );
}
