/** Counters of the persistence layer, read by the sampler (history) and by /api/metrics. */
export const persistenceOperations = [
  "create",
  "damage",
  "heal",
  "experience",
  "correction",
  "respawn",
  "save",
  "stat",
  "restore",
  "transfer",
  /** A batch of changes (POST /api/v1/changes): one transaction; its changes are also counted under their own operations. */
  "batch",
  "archive",
  "purge",
  "read",
] as const;
export type PersistenceOperation = (typeof persistenceOperations)[number];

/** Latencies kept per sampling interval; beyond this a reservoir sample keeps the percentiles honest. */
const LATENCY_RESERVOIR = 4_096;

export class PersistenceMetrics {
  writes = 0;
  /** Whole-object saves / If-Match corrections refused because the version was stale. */
  staleSavesRefused = 0;
  /** Whole-save attempts by outcome (pnakotic_saves_total{outcome}). */
  readonly saves: Record<"applied" | "merged" | "refused", number> = { applied: 0, merged: 0, refused: 0 };
  readonly persistenceErrors: Record<PersistenceOperation, number> = Object.fromEntries(
    persistenceOperations.map((operation) => [operation, 0]),
  ) as Record<PersistenceOperation, number>;
  /**
   * Ledger rows written by this process, by stat and reason ("stat\u0000reason" → count). Bounded:
   * only declared stats count (at most 64 + the built-ins) and reasons are a fixed vocabulary.
   */
  readonly statChanges = new Map<string, number>();
  private latencies: number[] = [];
  private latencyCount = 0;
  private readonly latencyObservers = new Set<(operation: PersistenceOperation, ms: number) => void>();

  recordWrite(operation: PersistenceOperation, ms: number): void {
    this.writes += 1;
    this.latencyCount += 1;
    if (this.latencies.length < LATENCY_RESERVOIR) {
      this.latencies.push(ms);
    } else {
      const slot = Math.floor(Math.random() * this.latencyCount);
      if (slot < LATENCY_RESERVOIR) this.latencies[slot] = ms;
    }
    for (const observe of this.latencyObservers) observe(operation, ms);
  }

  recordStatChange(stat: string, reason: string): void {
    const key = `${stat}\u0000${reason}`;
    this.statChanges.set(key, (this.statChanges.get(key) ?? 0) + 1);
  }

  recordSave(outcome: "applied" | "merged" | "refused"): void {
    this.saves[outcome] += 1;
  }

  recordError(operation: PersistenceOperation): void {
    this.persistenceErrors[operation] += 1;
  }

  totalErrors(): number {
    return Object.values(this.persistenceErrors).reduce((sum, count) => sum + count, 0);
  }

  /** Lets /api/metrics feed a histogram without this module knowing prom-client. */
  observeLatency(observer: (operation: PersistenceOperation, ms: number) => void): () => void {
    this.latencyObservers.add(observer);
    return () => this.latencyObservers.delete(observer);
  }

  /** p50/p99 of the writes since the last call, then starts a new interval. */
  takeLatencyPercentiles(): { p50: number | null; p99: number | null } {
    const sorted = this.latencies.sort((a, b) => a - b);
    this.latencies = [];
    this.latencyCount = 0;
    if (sorted.length === 0) return { p50: null, p99: null };
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { p50: at(0.5), p99: at(0.99) };
  }
}
