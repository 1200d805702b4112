import { describe, expect, it } from "vitest";
import { bucketWidthLabel, cacheStatsRows, chartEmptiness, errorHistogramRows, healthAxisTicks, invalidationSeries } from "../../lib/dashboard/chart-data.ts";
import type { StatsBucket, StatsRow } from "../../lib/dashboard/chart-data.ts";

describe("healthAxisTicks", () => {
  it("labels the floor, 0, the quarters and maxHealth, in order and without duplicates", () => {
    expect(healthAxisTicks(-10, 100)).toEqual([-10, 0, 25, 50, 75, 100]);
    expect(healthAxisTicks(0, 4)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("cacheStatsRows", () => {
  const bucket = (hits: number, misses: number, write: number): StatsBucket => ({
    at: "2026-11-20T13:00:00.000Z",
    hits,
    misses,
    hitRate: hits + misses === 0 ? null : hits / (hits + misses),
    invalidations: { write, ttl: 1, event: 0, manual: 0 },
    staleSavesRefused: 2,
    persistenceErrors: 0,
    writes: write,
    writeLatencyP50Ms: 0.8123,
    writeLatencyP99Ms: null,
  });

  it("gives hit rate in percent, a gap (null) without reads, and invalidations per minute", () => {
    const rows = cacheStatsRows([bucket(90, 10, 5), bucket(0, 0, 0)], 30);
    expect(rows[0]).toMatchObject({ hitRatePct: 90, write: 10, ttl: 2, staleSavesRefused: 2, p50: 0.81, p99: null });
    expect(rows[1]!.hitRatePct).toBeNull();
  });

  it("does not plunge to 0 % on a bucket of two misses: it is a low-sample point with its read count", () => {
    const rows = cacheStatsRows([bucket(90, 10, 5), bucket(0, 2, 0)], 30);
    expect(rows[1]).toMatchObject({ hitRatePct: null, hitRateLowSamplePct: 0, reads: 2 });
    expect(rows[0]).toMatchObject({ hitRatePct: 90, hitRateLowSamplePct: null, reads: 100 });
  });
});

describe("invalidationSeries", () => {
  it("draws only causes with invalidations in the range and names the rest, so a zero series is never stacked on top", () => {
    const rows = cacheStatsRows(
      [
        { ...bucketOf(5), invalidations: { write: 5, ttl: 0, event: 2, manual: 0 } },
        { ...bucketOf(0), invalidations: { write: 0, ttl: 0, event: 1, manual: 0 } },
      ],
      60,
    );
    expect(invalidationSeries(rows)).toEqual({ drawn: ["write", "event"], none: ["ttl", "manual"] });
  });
});

function bucketOf(writes: number): StatsBucket {
  return {
    at: "2026-11-20T13:00:00.000Z",
    hits: 0,
    misses: 0,
    hitRate: null,
    invalidations: { write: 0, ttl: 0, event: 0, manual: 0 },
    staleSavesRefused: 0,
    persistenceErrors: 0,
    writes,
    writeLatencyP50Ms: null,
    writeLatencyP99Ms: null,
  };
}

describe("error histogram rows", () => {
  it("keeps counts per bucket, with the bucket start as the time", () => {
    expect(errorHistogramRows([{ at: "2026-11-20T13:00:00.000Z", error: 2, fatal: 1 }])).toEqual([{ t: Date.parse("2026-11-20T13:00:00Z"), error: 2, fatal: 1 }]);
  });

  it("names the bucket width honestly for the chart title", () => {
    expect(bucketWidthLabel(60)).toBe("minute");
    expect(bucketWidthLabel(720)).toBe("12 min");
    expect(bucketWidthLabel(3_600)).toBe("hour");
    expect(bucketWidthLabel(7_200)).toBe("2 h");
    expect(bucketWidthLabel(5_040)).toBe("84 min");
  });
});

describe("chartEmptiness", () => {
  const row = (overrides: Partial<StatsRow> = {}): StatsRow => ({
    t: 0, hitRatePct: null, hitRateLowSamplePct: null, reads: 0, write: 0, ttl: 0, event: 0, manual: 0, staleSavesRefused: 0, persistenceErrors: 0, p50: null, p99: null, ...overrides,
  });
  it("judges each chart on its own: invalidations without reads leave the hit-rate chart empty", () => {
    expect(chartEmptiness([row({ write: 3 }), row()])).toEqual({ hitRate: true, invalidations: false, conflicts: true, latency: true });
    expect(chartEmptiness([row({ reads: 2, p50: 1 })])).toMatchObject({ hitRate: false, latency: false });
  });
});
