import type { z } from "zod";
import type { errorHistogramQuery } from "../api/api-schemas.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import { AppError } from "./app-error.ts";

export type ErrorHistogramQuery = z.infer<typeof errorHistogramQuery>;

export interface ErrorHistogramBucket {
  at: string;
  error: number;
  fatal: number;
}

const TARGET_BUCKETS = 120;
const MIN_STEP_MS = 60_000;
/** A one-minute step over a year would be half a million buckets; refuse rather than build it. */
export const MAX_ERROR_BUCKETS = 10_000;

/**
 * Error-log entries per bucket (one minute or more; `step` in seconds, else ≈ 120 buckets over the
 * range), by level, for the errors page chart. Same envelope as the cache stats: range + buckets.
 */
export async function errorHistogram(db: PrismaClient, query: ErrorHistogramQuery) {
  const until = query.until ?? new Date();
  const since = query.since ?? new Date(until.getTime() - 3_600_000);
  const rangeMs = Math.max(MIN_STEP_MS, until.getTime() - since.getTime());
  const stepMs = query.step !== undefined ? query.step * 1000 : Math.max(MIN_STEP_MS, Math.ceil(rangeMs / TARGET_BUCKETS / MIN_STEP_MS) * MIN_STEP_MS);
  const count = Math.ceil(rangeMs / stepMs);
  if (count > MAX_ERROR_BUCKETS) {
    throw new AppError("invalid_input", `since..until with this step makes ${count} buckets; at most ${MAX_ERROR_BUCKETS}`, {
      issues: [{ path: "step", message: `at most ${MAX_ERROR_BUCKETS} buckets: widen step or narrow since..until` }],
    });
  }
  const buckets: ErrorHistogramBucket[] = Array.from({ length: count }, (_, index) => ({ at: new Date(since.getTime() + index * stepMs).toISOString(), error: 0, fatal: 0 }));
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
