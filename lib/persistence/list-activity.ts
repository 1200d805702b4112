import type { Prisma } from "./generated/client.ts";
import type { PersistenceContext } from "./persistence-context.ts";
import { ledgerActivityKinds } from "../activity/activity-kinds.ts";
import type { ActivityKind } from "../activity/activity-kinds.ts";

/**
 * The newest ledger ids one page looks at. PlayerEvent has no index on what makes an incident
 * (deaths can be rare among millions of rows), so each page walks a bounded window of the primary
 * key instead of the whole table; an empty page with a cursor says "nothing in the newest N, look
 * further back".
 */
export const ACTIVITY_SCAN_WINDOW = 20_000;

export interface ActivityFilters {
  kind?: ActivityKind;
  /** Only these players (the watched list); at most a handful, bounded by the route's schema. */
  playerIds?: string[];
  bigHit: number;
  since?: Date;
  until?: Date;
  limit: number;
  /** "<ledger id>.<finding id>": the next page starts below each; 0 = that source is exhausted. */
  cursor?: string;
  /** Ledger ids one page looks at (ACTIVITY_SCAN_WINDOW; tests make it small to cross windows). */
  scanWindow?: number;
}

export interface ActivityItem {
  /** "e<ledger id>" or "f<finding id>": unique across both sources. */
  id: string;
  source: "ledger" | "integrity";
  kinds: ActivityKind[];
  at: string;
  playerId: string;
  playerName: string;
  /** The ledger row (its own, or the first one a finding names). */
  eventId: number | null;
  field: string | null;
  before: number | null;
  after: number | null;
  delta: number | null;
  reason: string | null;
  actor: string | null;
  changeId: string | null;
  requestId: string | null;
  /** A finding's message and severity. */
  message: string | null;
  severity: "error" | "warning" | null;
}

export interface ActivityPage {
  items: ActivityItem[];
  nextCursor: string | null;
  /** How far back this page looked in the ledger: [oldest, newest] ids of its window. */
  scanned: { fromEventId: number; toEventId: number };
}

function ledgerWhere(kind: ActivityKind | undefined, floor: number, bigHit: number): Prisma.PlayerEventWhereInput[] {
  const byKind: Record<Exclude<ActivityKind, "integrity">, Prisma.PlayerEventWhereInput> = {
    death: { field: "health", after: { lte: floor }, before: { gt: floor } },
    wounded: { field: "health", after: { lte: 0, gt: floor }, before: { gt: 0 } },
    big_hit: { field: "health", delta: { lte: -bigHit } },
    heal_of_dead: { field: "health", delta: { gt: 0 }, before: { lte: floor }, reason: { not: "respawn" } },
    correction: { reason: { in: ["correction", "restore", "revert"] } },
    save: { reason: "save" },
  };
  if (kind === "integrity") return [];
  return kind ? [byKind[kind]] : Object.values(byKind);
}

/** The server-wide activity feed: incidents from the ledger and integrity findings, newest first. */
export async function listActivity(ctx: PersistenceContext, filters: ActivityFilters): Promise<ActivityPage> {
  const floor = ctx.healthFloor;
  const [cursorEvent, cursorFinding] = filters.cursor ? filters.cursor.split(".").map(Number) : [undefined, undefined];
  const newest = cursorEvent ?? ((await ctx.db.playerEvent.aggregate({ _max: { id: true } }))._max.id ?? 0) + 1;
  const low = Math.max(0, newest - (filters.scanWindow ?? ACTIVITY_SCAN_WINDOW));
  const players = filters.playerIds?.length ? { in: filters.playerIds } : undefined;
  const at = filters.since || filters.until ? { ...(filters.since ? { gte: filters.since } : {}), ...(filters.until ? { lt: filters.until } : {}) } : undefined;
  const kinds = ledgerWhere(filters.kind, floor, filters.bigHit);

  const events =
    kinds.length === 0 || newest <= 1
      ? []
      : await ctx.db.playerEvent.findMany({
          where: { id: { lt: newest, gte: Math.max(1, low) }, OR: kinds, ...(players ? { playerId: players } : {}), ...(at ? { at } : {}) },
          orderBy: { id: "desc" },
          take: filters.limit + 1,
          select: { id: true, at: true, playerId: true, field: true, before: true, after: true, delta: true, reason: true, actor: true, changeId: true, requestId: true, player: { select: { name: true } } },
        });
  const eventsExhausted = events.length <= filters.limit;
  // Findings older than the ledger window's oldest row wait for the page that reaches it, so the
  // merged order stays newest first across pages.
  const wantsFindings = filters.kind === undefined || filters.kind === "integrity";
  const windowFloorAt = kinds.length > 0 && eventsExhausted && low > 1 ? (await ctx.db.playerEvent.findFirst({ where: { id: { gte: low } }, orderBy: { id: "asc" }, select: { at: true } }))?.at : undefined;
  const findings =
    wantsFindings && cursorFinding !== 0
      ? await ctx.db.integrityFinding.findMany({
          where: {
            ...(cursorFinding ? { id: { lt: cursorFinding } } : {}),
            ...(players ? { playerId: players } : {}),
            run: { finishedAt: { ...(at ?? {}), ...(windowFloorAt ? { gte: windowFloorAt } : {}) } },
          },
          orderBy: { id: "desc" },
          take: filters.limit + 1,
          select: { id: true, kind: true, severity: true, playerId: true, playerName: true, message: true, eventIds: true, run: { select: { startedAt: true, finishedAt: true } } },
        })
      : [];

  const items: Array<ActivityItem & { order: number }> = [
    ...events.map((row) => ({
      id: `e${row.id}`,
      order: row.id,
      source: "ledger" as const,
      kinds: ledgerActivityKinds(row, { healthFloor: floor, bigHit: filters.bigHit }),
      at: row.at.toISOString(),
      playerId: row.playerId,
      playerName: row.player.name,
      eventId: row.id,
      field: row.field,
      before: row.before,
      after: row.after,
      delta: row.delta,
      reason: row.reason,
      actor: row.actor,
      changeId: row.changeId,
      requestId: row.requestId,
      message: null,
      severity: null,
    })),
    ...findings.map((row) => ({
      id: `f${row.id}`,
      order: row.id,
      source: "integrity" as const,
      kinds: ["integrity" as const],
      // A run writes its findings as it finishes, so finishedAt is set; startedAt only satisfies the type.
      at: (row.run.finishedAt ?? row.run.startedAt).toISOString(),
      playerId: row.playerId,
      playerName: row.playerName,
      eventId: Array.isArray(row.eventIds) && typeof row.eventIds[0] === "number" ? row.eventIds[0] : null,
      field: null,
      before: null,
      after: null,
      delta: null,
      reason: null,
      actor: null,
      changeId: null,
      requestId: null,
      message: row.message,
      severity: row.severity === "error" ? ("error" as const) : ("warning" as const),
    })),
  ];
  items.sort((a, b) => b.at.localeCompare(a.at) || (a.source === b.source ? b.order - a.order : a.source === "ledger" ? -1 : 1));
  const page = items.slice(0, filters.limit);

  const lastEvent = page.findLast((item) => item.source === "ledger");
  const lastFinding = page.findLast((item) => item.source === "integrity");
  const allEventsShown = events.every((row) => page.some((item) => item.id === `e${row.id}`));
  const allFindingsShown = findings.every((row) => page.some((item) => item.id === `f${row.id}`));
  const nextEvent = allEventsShown && eventsExhausted ? (low > 1 && kinds.length > 0 ? low : 0) : (lastEvent?.order ?? newest);
  const findingsDone = !wantsFindings || cursorFinding === 0 || (allFindingsShown && findings.length <= filters.limit && !windowFloorAt);
  const nextFinding = findingsDone ? 0 : (lastFinding?.order ?? cursorFinding ?? Number.MAX_SAFE_INTEGER);
  return {
    items: page.map(({ order: _order, ...item }) => item),
    nextCursor: nextEvent === 0 && nextFinding === 0 ? null : `${nextEvent}.${nextFinding}`,
    scanned: { fromEventId: Math.max(1, low), toEventId: Math.max(0, newest - 1) },
  };
}
