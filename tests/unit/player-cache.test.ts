import { describe, expect, it } from "vitest";
import { PlayerCache } from "../../lib/cache/player-cache.ts";

type Row = { id: string; version: number; health: number };

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function cacheWithClock(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = { now: 1_000_000 };
  const cache = new PlayerCache<Row>({ ttlMs: options.ttlMs ?? 5_000, maxEntries: options.maxEntries ?? 100, now: () => clock.now });
  return { cache, clock };
}

describe("PlayerCache", () => {
  it("never stores a write-through older than a write an invalidation already announced (the two-instance race)", async () => {
    const { cache, clock } = cacheWithClock();
    // Instance B's own write commits version 10; before B offers its post-commit state, instance A's
    // write (version 11) commits and A's notification reaches B, emptying the entry.
    cache.invalidate("a", "event", 11);
    cache.invalidate("a", "write", 10);
    cache.offer("a", { id: "a", version: 10, health: 90 });
    const read = await cache.get("a", async () => ({ id: "a", version: 11, health: 80 }));
    expect(read).toEqual({ value: { id: "a", version: 11, health: 80 }, result: "miss" });
    expect((await cache.get("a", async () => ({ id: "a", version: 11, health: 80 }))).result).toBe("hit");
    // Two local writes finishing out of order: the older one's write-through is refused too.
    cache.invalidate("b", "write", 6);
    cache.offer("b", { id: "b", version: 6, health: 50 });
    cache.invalidate("b", "write", 5);
    cache.offer("b", { id: "b", version: 5, health: 60 });
    expect((await cache.get("b", async () => ({ id: "b", version: 6, health: 50 }))).value).toMatchObject({ version: 6 });
    // The floor lasts one TTL: afterwards the key behaves as if it had never been invalidated.
    clock.now += 5_000;
    cache.invalidate("c", "event", 3);
    clock.now += 5_000;
    cache.offer("c", { id: "c", version: 2, health: 1 });
    expect((await cache.get("c", async () => ({ id: "c", version: 3, health: 9 }))).result).toBe("hit");
  });

  it("misses, then hits, counting both", async () => {
    const { cache } = cacheWithClock();
    let loads = 0;
    const load = async () => ({ id: "a", version: 1, health: 100, loads: ++loads });
    expect((await cache.get("a", load)).result).toBe("miss");
    expect((await cache.get("a", load)).result).toBe("hit");
    expect(loads).toBe(1);
    expect(cache.counters).toMatchObject({ hits: 1, misses: 1 });
  });

  it("keeps a cached null (unknown player) distinct from a miss", async () => {
    const { cache } = cacheWithClock();
    await cache.get("ghost", async () => null);
    const second = await cache.get("ghost", async () => ({ id: "ghost", version: 1, health: 1 }));
    expect(second).toEqual({ value: null, result: "hit" });
  });

  it("single-flight: concurrent misses on one id make one load", async () => {
    const { cache } = cacheWithClock();
    const gate = deferred<Row>();
    let loads = 0;
    const load = () => {
      loads += 1;
      return gate.promise;
    };
    const reads = Promise.all(Array.from({ length: 20 }, () => cache.get("a", load)));
    gate.resolve({ id: "a", version: 1, health: 100 });
    const results = await reads;
    expect(loads).toBe(1);
    expect(results.every((read) => read.value?.health === 100)).toBe(true);
    expect(cache.counters.misses).toBe(20);
  });

  it("the in-flight race: a load that started before a write is neither stored nor joined after it", async () => {
    const { cache } = cacheWithClock();
    const slowLoad = deferred<Row>();
    // 1. a read misses and starts loading the pre-write row (version 1, health 100)…
    const early = cache.get("a", () => slowLoad.promise);
    // 2. …meanwhile a write commits and invalidates (and offers its post-commit state)…
    expect(cache.invalidate("a", "write")).toBe(true);
    // 3. …a read after the write must not join the old load…
    const late = cache.get("a", async () => ({ id: "a", version: 2, health: 90 }));
    expect((await late).value).toMatchObject({ version: 2, health: 90 });
    // 4. …and when the old load finally returns, its stale row is not stored.
    slowLoad.resolve({ id: "a", version: 1, health: 100 });
    await early;
    expect((await cache.get("a", async () => ({ id: "a", version: 99, health: 0 }))).value).toMatchObject({ version: 2, health: 90 });
  });

  it("never replaces a newer version with an older one", async () => {
    const { cache } = cacheWithClock();
    cache.offer("a", { id: "a", version: 5, health: 50 });
    cache.offer("a", { id: "a", version: 4, health: 60 });
    expect((await cache.get("a", async () => null)).value).toMatchObject({ version: 5 });
  });

  it("expires entries after the TTL (counted as ttl invalidations)", async () => {
    const { cache, clock } = cacheWithClock({ ttlMs: 5_000 });
    await cache.get("a", async () => ({ id: "a", version: 1, health: 100 }));
    clock.now += 4_999;
    expect((await cache.get("a", async () => null)).result).toBe("hit");
    clock.now += 1;
    const afterTtl = await cache.get("a", async () => ({ id: "a", version: 2, health: 80 }));
    expect(afterTtl).toMatchObject({ result: "miss", value: { version: 2 } });
    expect(cache.counters.invalidations.ttl).toBe(1);
  });

  it("sweeps expired entries", async () => {
    const { cache, clock } = cacheWithClock({ ttlMs: 1_000 });
    for (const id of ["a", "b", "c"]) cache.offer(id, { id, version: 1, health: 1 });
    clock.now += 1_000;
    expect(cache.sweepExpired()).toBe(3);
    expect(cache.size).toBe(0);
    expect(cache.counters.invalidations.ttl).toBe(3);
  });

  it("evicts the least recently used entry beyond maxEntries", async () => {
    const { cache } = cacheWithClock({ maxEntries: 2 });
    cache.offer("a", { id: "a", version: 1, health: 1 });
    cache.offer("b", { id: "b", version: 1, health: 1 });
    await cache.get("a", async () => null); // a is now the most recently used
    cache.offer("c", { id: "c", version: 1, health: 1 });
    expect(cache.size).toBe(2);
    expect(cache.counters.evictions).toBe(1);
    expect((await cache.get("a", async () => null)).result).toBe("hit");
    expect((await cache.get("c", async () => null)).result).toBe("hit");
    expect((await cache.get("b", async () => null)).result).toBe("miss");
  });

  it("counts invalidations by cause only when something was discarded", () => {
    const { cache } = cacheWithClock();
    cache.offer("a", { id: "a", version: 1, health: 1 });
    cache.offer("b", { id: "b", version: 1, health: 1 });
    expect(cache.invalidate("a", "manual")).toBe(true);
    expect(cache.invalidate("a", "manual")).toBe(false);
    expect(cache.invalidate("b", "event")).toBe(true);
    expect(cache.counters.invalidations).toEqual({ write: 0, ttl: 0, event: 1, manual: 1 });
  });

  it("does not cache a failed load", async () => {
    const { cache } = cacheWithClock();
    await expect(cache.get("a", async () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    expect((await cache.get("a", async () => ({ id: "a", version: 1, health: 1 }))).result).toBe("miss");
  });

  it("reports entry ages", async () => {
    const { cache, clock } = cacheWithClock();
    cache.offer("a", { id: "a", version: 1, health: 1 });
    clock.now += 300;
    cache.offer("b", { id: "b", version: 1, health: 1 });
    clock.now += 100;
    expect(cache.entryAges()).toEqual({ oldestMs: 400, meanMs: 250 });
  });
});
