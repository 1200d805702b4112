import type { z } from "zod";
import type { errorHistogramQuery } from "../api/api-schemas.ts";
import { Prisma } from "../persistence/generated/client.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { assertBucketCount, bucketIndexSql, bucketStart, planBuckets, toNumber } from "../metrics/time-buckets.ts";

export type ErrorHistogramQuery = z.infer<typeof errorHistogramQuery>;

export interface ErrorHistogramBucket {
  at: string;
  error: number;
  fatal: number;
}

const MIN_STEP_MS = 60_000;

/**
 * Error-log entries per bucket (one minute or more; `step` in seconds, else ≈ 120 buckets over the
 * range), by level, for the errors page chart. Same envelope as the cache stats: range + buckets.
 * The database counts per bucket, so the error log's size does not change the cost of a request.
 */
export async function errorHistogram(ctx: Pick<PersistenceContext, "db" | "dialect">, query: ErrorHistogramQuery) {
  const plan = planBuckets(query, MIN_STEP_MS);
  assertBucketCount(plan);
  const { since, until, stepMs, count } = plan;
  const filters = [Prisma.sql`"at" >= ${since}`, Prisma.sql`"at" < ${until}`];
  if (query.level) filters.push(Prisma.sql`"level" = ${query.level}`);
  if (query.module) filters.push(Prisma.sql`"module" = ${query.module}`);
  const rows = await ctx.db.$queryRaw<Array<{ bucket: unknown; level: string; n: unknown }>>(Prisma.sql`
    SELECT ${bucketIndexSql(ctx.dialect, "at", plan)} AS "bucket", "level", COUNT(*) AS "n"
    FROM "ErrorLogEntry"
    WHERE ${Prisma.join(filters, " AND ")}
    GROUP BY 1, 2`);
  const buckets: ErrorHistogramBucket[] = Array.from({ length: count }, (_, index) => ({ at: bucketStart(plan, index), error: 0, fatal: 0 }));
  for (const row of rows) {
    const bucket = buckets[Math.min(count - 1, Math.max(0, toNumber(row.bucket)))]!;
    if (row.level === "fatal") bucket.fatal += toNumber(row.n);
    else bucket.error += toNumber(row.n);
  }
  return { range: { since: since.toISOString(), until: until.toISOString(), stepSeconds: stepMs / 1000 }, buckets };
}
