import type { IntegrityMonitor } from "./integrity-monitor.ts";
import { latestIntegrityReport } from "./run-integrity-check.ts";
import type { IntegrityReport, IntegrityScope } from "./run-integrity-check.ts";
import type { PersistenceContext } from "../persistence/persistence-context.ts";

/** How long POST /api/v1/integrity/runs waits for its run before answering with the run in progress. */
export const INTEGRITY_REQUEST_WAIT_MS = 2_000;

/**
 * Starts (or joins the queued) check and answers promptly: with the finished report when the run
 * ends within the wait, otherwise with the run as recorded so far (status queued or running,
 * progress counts, no findings yet); the caller polls GET /api/v1/integrity or /api/health.
 */
export async function requestIntegrityRun(
  ctx: PersistenceContext,
  monitor: IntegrityMonitor,
  options: { actor: string; scope?: IntegrityScope },
  waitMs = INTEGRITY_REQUEST_WAIT_MS,
): Promise<IntegrityReport> {
  const requested = await monitor.request({ trigger: "manual", actor: options.actor, ...(options.scope ? { scope: options.scope } : {}) });
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<"waiting">((resolve) => {
    timer = setTimeout(() => resolve("waiting"), waitMs);
  });
  try {
    const outcome = await Promise.race([requested.done, waited]);
    if (outcome !== "waiting") return outcome;
  } finally {
    clearTimeout(timer);
  }
  // The run goes on in the background; its failure is logged there, never unhandled here.
  requested.done.catch((error: unknown) => ctx.logger.error({ module: "integrity", err: error, runId: requested.runId }, "integrity check failed"));
  return latestIntegrityReport(ctx, { runId: requested.runId });
}
