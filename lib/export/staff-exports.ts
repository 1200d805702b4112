import type { z } from "zod";
import type { auditExportQuery, errorExportQuery, ledgerExportQuery } from "../api/api-schemas.ts";
import { listAuditEntries } from "../audit/list-audit-entries.ts";
import type { Caller } from "../auth/caller.ts";
import { listErrorLog } from "../errors/list-error-log.ts";
import { listPlayerEvents } from "../persistence/list-player-events.ts";
import type { ListPlayerEventsQuery } from "../persistence/list-player-events.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import type { PlayerEvent } from "../persistence/player-record.ts";
import { EXPORT_PAGE_SIZE, exportStream } from "./export-stream.ts";

/*
 * CSV and JSON downloads of the ledger, the audit log and the error log. Each export takes the same
 * filters as its list route and pages through that route's own list function, so a download holds
 * exactly what paging through the API would return.
 */

type LedgerExportQuery = z.infer<typeof ledgerExportQuery>;
type AuditExportQuery = z.infer<typeof auditExportQuery>;
type ErrorExportQuery = z.infer<typeof errorExportQuery>;

const logExportFailure = (ctx: PersistenceContext, what: string) => (error: unknown) =>
  ctx.logger.error({ module: "export", export: what, err: error }, "export failed mid-stream");

export async function exportLedger(ctx: PersistenceContext, playerId: string, query: LedgerExportQuery) {
  const { format, ...filters } = query;
  // The first page is read before the response starts, so an unknown player is a 404, not an empty file.
  const first = await listPlayerEvents(ctx, playerId, { ...filters, limit: EXPORT_PAGE_SIZE } as ListPlayerEventsQuery);
  return exportStream<PlayerEvent>({
    format,
    readPage: (cursor) => (cursor === undefined ? Promise.resolve(first) : listPlayerEvents(ctx, playerId, { ...filters, limit: EXPORT_PAGE_SIZE, cursor } as ListPlayerEventsQuery)),
    columns: [
      { header: "id", value: (row) => row.id },
      { header: "at", value: (row) => row.at },
      { header: "field", value: (row) => row.field },
      { header: "before", value: (row) => row.before },
      { header: "after", value: (row) => row.after },
      { header: "delta", value: (row) => row.delta },
      { header: "reason", value: (row) => row.reason },
      { header: "actor", value: (row) => row.actor },
      { header: "requestId", value: (row) => row.requestId },
      { header: "changeId", value: (row) => row.changeId },
      { header: "playerVersion", value: (row) => row.playerVersion },
      { header: "detail", value: (row) => row.detail },
    ],
    onError: logExportFailure(ctx, "ledger"),
  });
}

type AuditRow = Awaited<ReturnType<typeof listAuditEntries>>["items"][number];

export function exportAudit(ctx: PersistenceContext, query: AuditExportQuery) {
  const { format, ...filters } = query;
  return exportStream<AuditRow>({
    format,
    readPage: (cursor) => listAuditEntries(ctx.db, { ...filters, limit: EXPORT_PAGE_SIZE, cursor: cursor ?? undefined }),
    columns: [
      { header: "id", value: (row) => row.id },
      { header: "at", value: (row) => row.at },
      { header: "actor", value: (row) => row.actor },
      { header: "action", value: (row) => row.action },
      { header: "playerId", value: (row) => row.playerId },
      { header: "playerName", value: (row) => row.playerName },
      { header: "reason", value: (row) => row.reason },
      { header: "requestId", value: (row) => row.requestId },
      { header: "before", value: (row) => row.before },
      { header: "after", value: (row) => row.after },
    ],
    onError: logExportFailure(ctx, "audit"),
  });
}

type ErrorRow = Awaited<ReturnType<typeof listErrorLog>>["items"][number];

/** Stack traces hold file paths: only admins get them, in the export as everywhere. */
export function exportErrors(ctx: PersistenceContext, query: ErrorExportQuery, caller: Caller) {
  const { format, ...filters } = query;
  const redact = (row: ErrorRow): ErrorRow => (caller.role === "admin" ? row : { ...row, stack: null });
  return exportStream<ErrorRow>({
    format,
    readPage: async (cursor) => {
      const page = await listErrorLog(ctx.db, { ...filters, limit: EXPORT_PAGE_SIZE, cursor: cursor === undefined ? undefined : Number(cursor) });
      return { items: page.items.map(redact), nextCursor: page.nextCursor };
    },
    columns: [
      { header: "id", value: (row) => row.id },
      { header: "at", value: (row) => row.at },
      { header: "level", value: (row) => row.level },
      { header: "module", value: (row) => row.module },
      { header: "message", value: (row) => row.message },
      { header: "requestId", value: (row) => row.requestId },
      { header: "context", value: (row) => row.context },
      { header: "stack", value: (row) => row.stack },
    ],
    onError: logExportFailure(ctx, "errors"),
  });
}
