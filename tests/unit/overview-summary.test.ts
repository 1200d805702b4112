import { describe, expect, it } from "vitest";
import { LOW_SAMPLE_READS, summarizeOverview } from "../../lib/metrics/overview-summary.ts";
import type { OverviewCounts } from "../../lib/metrics/overview-summary.ts";

const counts = (overrides: Partial<OverviewCounts> = {}): OverviewCounts => ({
  playersTotal: 10,
  playersOnline: 3,
  playersDead: 1,
  playersMortallyWounded: 2,
  errorsLastHour: 0,
  staleSavesRefusedLastHour: 0,
  invalidationsLastHour: { write: 0, ttl: 0, event: 0, manual: 0 },
  cacheHits: 0,
  cacheMisses: 0,
  invalidationsNow: { write: 0, ttl: 0, event: 0, manual: 0 },
  staleSavesRefusedNow: 0,
  demoSamples: 0,
  ...overrides,
});

describe("summarizeOverview", () => {
  it("reports no reads as no rate (null), not 0 % or 100 %, with a sample size of 0", () => {
    const summary = summarizeOverview(counts(), -10);
    expect(summary.cacheHitRate).toBeNull();
    expect(summary.cacheReads).toBe(0);
    expect(summary.cacheHitRateLowSample).toBe(false);
  });

  it("gives the rate with its sample size and flags small samples", () => {
    const few = summarizeOverview(counts({ cacheHits: 1, cacheMisses: 2 }), -10);
    expect(few).toMatchObject({ cacheHitRate: 1 / 3, cacheReads: 3, cacheHitRateLowSample: true });
    const many = summarizeOverview(counts({ cacheHits: 90, cacheMisses: LOW_SAMPLE_READS }), -10);
    expect(many).toMatchObject({ cacheHitRate: 90 / (90 + LOW_SAMPLE_READS), cacheReads: 90 + LOW_SAMPLE_READS, cacheHitRateLowSample: false });
  });

  it("derives invalidations per minute from the hour's total, whatever range a chart shows", () => {
    const summary = summarizeOverview(counts({ invalidationsLastHour: { write: 100, ttl: 20, event: 0, manual: 0 } }), -10);
    expect(summary.invalidationsLastHour.total).toBe(120);
    expect(summary.invalidationsPerMinuteLastHour).toBe(2);
  });

  it("gives invalidations per minute over the stated 'now' window (5 min), not as an hour's average", () => {
    // 250 in the last 5 minutes = 50/min, while the hour's average (600 / 60) says 10/min.
    const summary = summarizeOverview(
      counts({ invalidationsLastHour: { write: 600, ttl: 0, event: 0, manual: 0 }, invalidationsNow: { write: 200, ttl: 50, event: 0, manual: 0 } }),
      -10,
    );
    expect(summary.nowWindowSeconds).toBe(300);
    expect(summary.invalidationsNow.total).toBe(250);
    expect(summary.invalidationsPerMinuteNow).toBe(50);
    expect(summary.invalidationsPerMinuteLastHour).toBe(10);
  });

  it("says when the figures include the seed's invented metrics (instance demo-seed)", () => {
    expect(summarizeOverview(counts(), -10).includesDemoMetrics).toBe(false);
    expect(summarizeOverview(counts({ demoSamples: 3 }), -10).includesDemoMetrics).toBe(true);
  });
});
