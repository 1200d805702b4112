/**
 * Counts failed sign-ins per key in a sliding window; in memory, per process (a multi-instance
 * deployment multiplies the allowance by the number of instances, which is still a hard cap).
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: { maxFailures: number; windowMs: number; now?: () => number }) {}

  private recent(key: string): number[] {
    const now = (this.options.now ?? Date.now)();
    const kept = (this.failures.get(key) ?? []).filter((at) => now - at < this.options.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** Seconds until the next attempt is allowed (0 = allowed now). */
  blockedFor(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.options.maxFailures) return 0;
    const now = (this.options.now ?? Date.now)();
    return Math.ceil((recent[0]! + this.options.windowMs - now) / 1000);
  }

  recordFailure(key: string): void {
    this.recent(key);
    const list = this.failures.get(key) ?? [];
    list.push((this.options.now ?? Date.now)());
    this.failures.set(key, list);
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
