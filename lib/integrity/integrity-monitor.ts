import type { PersistenceContext } from "../persistence/persistence-context.ts";
import { executeIntegrityRun, latestIntegrityReport, recordIntegrityRun } from "./run-integrity-check.ts";
import type { IntegrityProgress, IntegrityReport, IntegrityRunOptions, IntegrityScope } from "./run-integrity-check.ts";

type RunRequest = Pick<IntegrityRunOptions, "trigger" | "actor" | "scope">;

/** A run the monitor started or queued: its id at once, its report when it ends. */
export interface RequestedRun {
  runId: string;
  done: Promise<IntegrityReport>;
}

/**
 * Runs the integrity check on a schedule (INTEGRITY_CHECK_INTERVAL_MS) and on demand, in the
 * background with a time budget (INTEGRITY_CHECK_BUDGET_MS): a request only starts or queues a run
 * (lib/integrity/request-integrity-run.ts waits briefly for it). Reports are stored in the database,
 * so whichever instance answers, the dashboard sees the same latest run.
 */
export class IntegrityMonitor {
  private current: RequestedRun | null = null;
  private next: (RequestedRun & { scope: IntegrityScope }) | null = null;
  private running: IntegrityProgress | null = null;
  private timer: NodeJS.Timeout | undefined;
  private firstTick: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: PersistenceContext,
    private readonly intervalMs: number,
    private readonly budgetMs?: number,
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

  /** The running check's progress on this instance, or null when none runs here. */
  progress(): IntegrityProgress | null {
    return this.running ? { ...this.running } : null;
  }

  /** Starts a check and waits for its report. */
  async run(options: RunRequest): Promise<IntegrityReport> {
    return (await this.request(options)).done;
  }

  /**
   * One check at a time. A request that arrives while a check runs must not be answered with that
   * check (it may have read players before the caller's last change), so it gets one fresh check
   * queued behind it, shared by every request that arrives meanwhile (run as the first one's; a
   * full-scope request widens the queued run to full).
   */
  async request(options: RunRequest): Promise<RequestedRun> {
    if (!this.current) {
      const runId = await recordIntegrityRun(this.ctx, options);
      if (!this.current) return this.begin(runId, options);
      // Another request started a check while this one was recording: queue behind it instead.
      await this.ctx.db.integrityRun.update({ where: { id: runId }, data: { status: "queued" }, select: { id: true } });
      return this.queue(runId, options);
    }
    if (this.next) {
      if (options.scope === "full" && this.next.scope !== "full") {
        this.next.scope = "full";
        await this.ctx.db.integrityRun.update({ where: { id: this.next.runId }, data: { scope: "full" }, select: { id: true } });
      }
      return this.next;
    }
    return this.queue(await recordIntegrityRun(this.ctx, options, "queued"), options);
  }

  private queue(runId: string, options: RunRequest): RequestedRun {
    if (this.next) return this.next;
    const queued = { runId, scope: options.scope ?? "incremental", done: null as unknown as Promise<IntegrityReport> };
    queued.done = this.current!.done
      // The running check's failure reaches its own callers; the queued check runs regardless.
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.begin(runId, { ...options, scope: queued.scope }).done;
      });
    this.next = queued;
    return queued;
  }

  private begin(runId: string, options: RunRequest): RequestedRun {
    const done = executeIntegrityRun(this.ctx, runId, {
      ...options,
      ...(this.budgetMs !== undefined ? { budgetMs: this.budgetMs } : {}),
      onProgress: (progress) => {
        this.running = progress;
      },
    }).finally(() => {
      if (this.current?.runId === runId) {
        this.current = null;
        this.running = null;
      }
    });
    this.current = { runId, done };
    return this.current;
  }

  report(playerId?: string): Promise<IntegrityReport> {
    return latestIntegrityReport(this.ctx, { playerId });
  }
}
