import { Prisma } from "../persistence/generated/client.ts";
import { AppError } from "../errors/app-error.ts";

/**
 * Charts read counters per time bucket. The database does the bucketing (GROUP BY), so a request
 * costs one row per non-empty bucket whatever the range holds, and the bucket count itself is
 * capped: past MAX_BUCKETS the request is refused before any work is done.
 */
export const MAX_BUCKETS = 1_000;
/** Without a step, the range is split into about this many buckets. */
export const TARGET_BUCKETS = 120;

export interface BucketPlan {
  since: Date;
  until: Date;
  stepMs: number;
  count: number;
}

/**
 * The buckets for since..until (default: the hour before until, until = now). An explicit step is
 * kept; otherwise it is the smallest multiple of `stepUnitMs` that gives at most TARGET_BUCKETS.
 */
export function planBuckets(query: { since?: Date; until?: Date; step?: number }, stepUnitMs: number): BucketPlan {
  const until = query.until ?? new Date();
  const since = query.since ?? new Date(until.getTime() - 3_600_000);
  const rangeMs = Math.max(stepUnitMs, until.getTime() - since.getTime());
  const stepMs = query.step !== undefined ? query.step * 1000 : Math.max(stepUnitMs, Math.ceil(rangeMs / TARGET_BUCKETS / stepUnitMs) * stepUnitMs);
  return { since, until, stepMs, count: Math.max(1, Math.ceil(rangeMs / stepMs)) };
}

/** The 422 for a range that needs more than MAX_BUCKETS at the requested step (checked by the query schemas too). */
export function tooManyBucketsMessage(count: number, stepSeconds: number): string {
  return `at most ${MAX_BUCKETS.toLocaleString("en-US")} buckets; this range at step ${stepSeconds.toLocaleString("en-US")} s needs ${count.toLocaleString("en-US")}`;
}

export function assertBucketCount(plan: BucketPlan): void {
  if (plan.count <= MAX_BUCKETS) return;
  const message = tooManyBucketsMessage(plan.count, plan.stepMs / 1000);
  throw new AppError("invalid_input", `Invalid query: ${message}`, { issues: [{ path: "step", message }], extensions: { limit: MAX_BUCKETS } });
}

/**
 * SQL for a row's bucket index, (at − since) / step rounded down, in each dialect. SQLite keeps
 * DateTime as ISO text (julianday reads it; rounding to whole milliseconds first keeps a sample at
 * a bucket's exact start in that bucket; parameters arrive as floats, hence the outer CAST);
 * PostgreSQL as timestamp(3).
 */
export function bucketIndexSql(dialect: "sqlite" | "postgresql", column: string, plan: BucketPlan): Prisma.Sql {
  const quoted = Prisma.raw(`"${column}"`);
  const sinceMs = plan.since.getTime();
  return dialect === "postgresql"
    ? Prisma.sql`floor((round(extract(epoch from ${quoted}) * 1000) - ${sinceMs}::numeric) / ${plan.stepMs}::numeric)::bigint`
    : Prisma.sql`CAST((CAST(ROUND((julianday(${quoted}) - 2440587.5) * 86400000.0) AS INTEGER) - ${sinceMs}) / ${plan.stepMs} AS INTEGER)`;
}

/** Bucket start times, index → ISO string. */
export function bucketStart(plan: BucketPlan, index: number): string {
  return new Date(plan.since.getTime() + index * plan.stepMs).toISOString();
}

/** Raw-query numbers arrive as number, bigint or numeric text depending on the driver. */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
