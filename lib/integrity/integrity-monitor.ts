import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { latestIntegrityReport, runIntegrityCheck } from "./run-integrity-check.ts";
import type { IntegrityReport } from "./run-integrity-check.ts";

/**
 * Runs the integrity check on a schedule (INTEGRITY_CHECK_INTERVAL_MS) and on demand. Reports are
 * stored in the database, so whichever instance answers, the dashboard sees the same latest run.
 */
export class IntegrityMonitor {
  private running: Promise<IntegrityReport> | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: PersistenceContext,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    const tick = () => {
      this.run({ trigger: "schedule", actor: "scheduler" }).catch((error: unknown) => {
        this.ctx.logger.error({ module: "integrity", err: error }, "scheduled integrity check failed");
      });
    };
    // A first check shortly after start, then on the interval.
    setTimeout(tick, Math.min(10_000, this.intervalMs)).unref();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One check at a time: a request while a check runs waits for that check. */
  async run(options: { trigger: "manual" | "schedule"; actor: string }): Promise<IntegrityReport> {
    this.running ??= runIntegrityCheck(this.ctx, options).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  report(playerId?: string): Promise<IntegrityReport> {
    return latestIntegrityReport(this.ctx, { playerId });
  }
}
