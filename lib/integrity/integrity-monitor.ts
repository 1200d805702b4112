import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { latestIntegrityReport, runIntegrityCheck } from "./run-integrity-check.ts";
import type { IntegrityReport } from "./run-integrity-check.ts";

/**
 * Runs the integrity check on a schedule (INTEGRITY_CHECK_INTERVAL_MS) and on demand. Reports are
 * stored in the database, so whichever instance answers, the dashboard sees the same latest run.
 */
export class IntegrityMonitor {
  private current: Promise<IntegrityReport> | null = null;
  private next: Promise<IntegrityReport> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private firstTick: NodeJS.Timeout | undefined;

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
    this.firstTick = setTimeout(tick, Math.min(10_000, this.intervalMs));
    this.firstTick.unref();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.firstTick);
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * One check at a time. A request that arrives while a check runs must not be answered with that
   * check (it may have read players before the caller's last change), so it waits for one fresh
   * check queued behind it, shared by every request that arrives meanwhile (run as the first one's).
   */
  async run(options: { trigger: "manual" | "schedule"; actor: string }): Promise<IntegrityReport> {
    if (!this.current) return this.begin(options);
    this.next ??= this.current
      // The running check's failure reaches its own callers; the queued check runs regardless.
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.begin(options);
      });
    return this.next;
  }

  private begin(options: { trigger: "manual" | "schedule"; actor: string }): Promise<IntegrityReport> {
    const check = runIntegrityCheck(this.ctx, options).finally(() => {
      if (this.current === check) this.current = null;
    });
    this.current = check;
    return check;
  }

  report(playerId?: string): Promise<IntegrityReport> {
    return latestIntegrityReport(this.ctx, { playerId });
  }
}
