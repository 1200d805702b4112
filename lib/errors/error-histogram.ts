import type { PrismaClient } from "../persistence/prisma-client.ts";

const TARGET_BUCKETS = 120;
const MIN_STEP_MS = 60_000;

/** Error-log entries per bucket (one minute or more), by level, for the errors page chart. */
export async function errorHistogram(db: PrismaClient, query: { since?: Date; until?: Date; level?: "error" | "fatal"; module?: string }) {
  const until = query.until ?? new Date();
  const since = query.since ?? new Date(until.getTime() - 3_600_000);
  const rangeMs = Math.max(MIN_STEP_MS, until.getTime() - since.getTime());
  const stepMs = Math.max(MIN_STEP_MS, Math.ceil(rangeMs / TARGET_BUCKETS / MIN_STEP_MS) * MIN_STEP_MS);
  const count = Math.ceil(rangeMs / stepMs);
  const buckets = Array.from({ length: count }, (_, index) => ({ at: new Date(since.getTime() + index * stepMs).toISOString(), error: 0, fatal: 0 }));
  const entries = await db.errorLogEntry.findMany({
    where: { at: { gte: since, lt: until }, ...(query.level ? { level: query.level } : {}), ...(query.module ? { module: query.module } : {}) },
    select: { at: true, level: true },
  });
  for (const entry of entries) {
    const bucket = buckets[Math.min(count - 1, Math.floor((entry.at.getTime() - since.getTime()) / stepMs))]!;
    if (entry.level === "fatal") bucket.fatal += 1;
    else bucket.error += 1;
  }
  return { range: { since: since.toISOString(), until: until.toISOString(), stepSeconds: stepMs / 1000 }, buckets };
}
