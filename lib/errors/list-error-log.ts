import type { z } from "zod";
import type { errorLogQuery } from "../api/api-schemas.ts";
import type { Prisma } from "../persistence/generated/client.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";

export type ErrorLogQuery = z.infer<typeof errorLogQuery>;

/** The error log, newest first, plus the known modules (for the dashboard's filter). */
export async function listErrorLog(db: PrismaClient, query: ErrorLogQuery) {
  const where: Prisma.ErrorLogEntryWhereInput = {};
  if (query.level) where.level = query.level;
  if (query.module) where.module = query.module;
  if (query.requestId) where.requestId = query.requestId;
  if (query.since || query.until) where.at = { gte: query.since, lte: query.until };
  if (query.cursor !== undefined) where.id = { lt: query.cursor };
  const [rows, modules] = await Promise.all([
    db.errorLogEntry.findMany({ where, orderBy: { id: "desc" }, take: query.limit + 1 }),
    db.errorLogEntry.findMany({ distinct: ["module"], select: { module: true }, orderBy: { module: "asc" } }),
  ]);
  const page = rows.slice(0, query.limit);
  return {
    items: page,
    nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
    modules: modules.map((row) => row.module),
  };
}
