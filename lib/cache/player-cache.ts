/**
 * Per-process player cache: TTL, bounded size with LRU eviction, single-flight loads, and a guard
 * against the load/write race.
 *
 * The invariant: once a write has completed (committed and invalidated), no later `get` returns
 * data older than that write. Two mechanisms keep it:
 *  - `invalidate` drops the entry *and* detaches any in-flight load, so a `get` that starts after
 *    the write never joins a load that began before it, and that load's result is not stored;
 *  - `offer` (write-through of the post-commit state) and load results never replace an entry that
 *    holds a higher version;
 *  - an invalidation that names the version it was for leaves a floor: for one TTL, nothing older
 *    is stored. Without it, a write's own post-commit `offer` could land after a newer write's
 *    invalidation (another instance's NOTIFY, or a concurrent local write) had emptied the entry,
 *    and the older state would be served until the TTL (seen in the two-instance test).
 */

export type InvalidationCause = "write" | "ttl" | "event" | "manual";
export const invalidationCauses: readonly InvalidationCause[] = ["write", "ttl", "event", "manual"];

export interface CacheCounters {
  hits: number;
  misses: number;
  invalidations: Record<InvalidationCause, number>;
  evictions: number;
}

export interface CacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Injected for tests of TTL expiry. */
  now?: () => number;
}

interface Entry<V> {
  /** null = "known not to exist", kept distinct from a miss. */
  value: V | null;
  storedAt: number;
}

interface InFlightLoad<V> {
  promise: Promise<V | null>;
  detached: boolean;
}

export type CacheGetResult<V> = { value: V | null; result: "hit" | "miss" };

export class PlayerCache<V extends { version: number }> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, InFlightLoad<V>>();
  /** Per key: the highest version an invalidation named, and when (bounded like the entries). */
  private readonly floors = new Map<string, { version: number; at: number }>();
  private readonly now: () => number;
  readonly counters: CacheCounters = {
    hits: 0,
    misses: 0,
    invalidations: { write: 0, ttl: 0, event: 0, manual: 0 },
    evictions: 0,
  };

  constructor(private readonly options: CacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Returns the cached value, or loads it once however many callers miss at the same time. */
  async get(key: string, load: () => Promise<V | null>): Promise<CacheGetResult<V>> {
    const entry = this.entries.get(key);
    if (entry) {
      if (this.isExpired(entry)) {
        this.entries.delete(key);
        this.counters.invalidations.ttl += 1;
      } else {
        // Re-insert to mark as most recently used (Map keeps insertion order).
        this.entries.delete(key);
        this.entries.set(key, entry);
        this.counters.hits += 1;
        return { value: entry.value, result: "hit" };
      }
    }
    this.counters.misses += 1;
    const running = this.inFlight.get(key);
    if (running) return { value: await running.promise, result: "miss" };

    const flight: InFlightLoad<V> = { promise: load(), detached: false };
    this.inFlight.set(key, flight);
    try {
      const value = await flight.promise;
      if (!flight.detached) this.store(key, value);
      return { value, result: "miss" };
    } finally {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    }
  }

  /** Counts a read that went around the cache (the invalidation bus was unhealthy) as a miss. */
  countBypass(): void {
    this.counters.misses += 1;
  }

  /** Write-through: keep the post-commit state, unless a newer version is already cached. */
  offer(key: string, value: V): void {
    this.store(key, value);
  }

  /**
   * Drops the entry and any in-flight load of it. Counted only when something was discarded.
   * `version`: the write's version; for one TTL no older state of this key is stored.
   */
  invalidate(key: string, cause: InvalidationCause, version?: number): boolean {
    if (version !== undefined) this.raiseFloor(key, version);
    let discarded = this.entries.delete(key);
    const flight = this.inFlight.get(key);
    if (flight) {
      flight.detached = true;
      this.inFlight.delete(key);
      discarded = true;
    }
    if (discarded) this.counters.invalidations[cause] += 1;
    return discarded;
  }

  /** Drops everything (e.g. after the invalidation bus reconnected and may have missed events). */
  invalidateAll(cause: InvalidationCause): number {
    for (const flight of this.inFlight.values()) flight.detached = true;
    const discarded = this.entries.size + this.inFlight.size;
    this.entries.clear();
    this.inFlight.clear();
    this.counters.invalidations[cause] += discarded;
    return discarded;
  }

  /** Removes expired entries (counted as ttl invalidations); called by the metrics sampler. */
  sweepExpired(): number {
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (this.isExpired(entry)) {
        this.entries.delete(key);
        removed += 1;
      }
    }
    this.counters.invalidations.ttl += removed;
    return removed;
  }

  /** Age in ms of the oldest and the average entry (0 when empty). */
  entryAges(): { oldestMs: number; meanMs: number } {
    if (this.entries.size === 0) return { oldestMs: 0, meanMs: 0 };
    const now = this.now();
    let oldest = 0;
    let total = 0;
    for (const entry of this.entries.values()) {
      const age = now - entry.storedAt;
      oldest = Math.max(oldest, age);
      total += age;
    }
    return { oldestMs: oldest, meanMs: total / this.entries.size };
  }

  private isExpired(entry: Entry<V>): boolean {
    return this.now() - entry.storedAt >= this.options.ttlMs;
  }

  private raiseFloor(key: string, version: number): void {
    if (this.options.ttlMs === 0) return;
    const existing = this.floors.get(key);
    const floor = { version: Math.max(version, existing && this.isFresh(existing.at) ? existing.version : 0), at: this.now() };
    this.floors.delete(key);
    this.floors.set(key, floor);
    while (this.floors.size > this.options.maxEntries) this.floors.delete(this.floors.keys().next().value as string);
  }

  private isFresh(at: number): boolean {
    return this.now() - at < this.options.ttlMs;
  }

  private store(key: string, value: V | null): void {
    if (this.options.ttlMs === 0) return;
    const floor = this.floors.get(key);
    // Older than a write already announced (or "not found" after one): not stored; the next get loads.
    if (floor && this.isFresh(floor.at) && (value === null || value.version < floor.version)) return;
    const existing = this.entries.get(key);
    if (existing?.value && value && existing.value.version > value.version) return;
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.now() });
    while (this.entries.size > this.options.maxEntries) {
      const oldestKey = this.entries.keys().next().value as string;
      this.entries.delete(oldestKey);
      this.counters.evictions += 1;
    }
  }
}
