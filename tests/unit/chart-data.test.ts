import { describe, expect, it } from "vitest";
import { bucketWidthLabel, cacheStatsRows, errorHistogramRows, fieldTimeline, healthAxisTicks, timelineWindow } from "../../lib/dashboard/chart-data.ts";
import type { LedgerEvent, StatsBucket } from "../../lib/dashboard/chart-data.ts";

const event = (id: number, at: string, field: LedgerEvent["field"], before: number, after: number, reason: string): LedgerEvent => ({
  id,
  at: `2026-11-20T${at}.000Z`,
  field,
  delta: after - before,
  before,
  after,
  reason,
  detail: { source: "npc:dr-francis-morgan" },
  actor: "game-server",
  requestId: `req-${id}`,
});

describe("fieldTimeline", () => {
  const seedStory = [
    event(1, "13:40:48", "health", 100, 90, "damage"),
    event(2, "13:41:00", "health", 90, 80, "damage"),
    event(3, "13:41:12", "health", 80, 70, "damage"),
    event(4, "13:41:19", "experience", 554, 555, "experience"),
  ];
  const range = { since: Date.parse("2026-11-20T13:00:00Z"), until: Date.parse("2026-11-20T14:00:00Z") };

  it("turns the seed story into 100 → 90 → 80 → 70, extended to the end of the range", () => {
    const points = fieldTimeline(seedStory, "health", range);
    expect(points.map((point) => point.value)).toEqual([100, 90, 80, 70, 70]);
    expect(points[1]!.event).toEqual({ id: 1, reason: "damage", before: 100, after: 90, delta: -10, actor: "game-server", source: "npc:dr-francis-morgan", requestId: "req-1" });
    expect(points[0]!.event).toBeNull();
    expect(points.at(-1)).toEqual({ t: range.until, value: 70, event: null });
  });

  it("keeps the fields apart: the XP change does not move health", () => {
    expect(fieldTimeline(seedStory, "experience", range).map((point) => point.value)).toEqual([554, 555, 555]);
  });

  it("orders by ledger id, not by arrival order, and is empty without rows", () => {
    const shuffled = [seedStory[2]!, seedStory[0]!, seedStory[1]!];
    expect(fieldTimeline(shuffled, "health", range).map((point) => point.value)).toEqual([100, 90, 80, 70, 70]);
    expect(fieldTimeline([], "health", range)).toEqual([]);
  });
});

describe("timelineWindow", () => {
  const story = [{ at: "2026-11-20T13:40:48.000Z" }, { at: "2026-11-20T13:41:19.000Z" }];
  const now = Date.parse("2026-11-24T09:00:00Z");

  it("runs a named range up to now", () => {
    expect(timelineWindow(story, 3_600_000, now)).toEqual({ since: now - 3_600_000, until: now });
  });

  it("fits 'All' to the ledger with room before the first change, so its starting value shows as a step", () => {
    const window = timelineWindow(story, null, now);
    const first = Date.parse(story[0]!.at);
    const last = Date.parse(story[1]!.at);
    expect(window.since).toBeLessThanOrEqual(first - 30_000);
    expect(window.until).toBeGreaterThan(last);
    expect(window.until).toBeLessThan(now);
    const points = fieldTimeline(
      [{ id: 1, at: story[0]!.at, field: "health", delta: -10, before: 100, after: 90, reason: "damage", detail: null, actor: "game-server", requestId: null }],
      "health",
      window,
    );
    // The 100 segment has width: it starts at the window's start, well before the first change.
    expect(points[0]).toEqual({ t: window.since, value: 100, event: null });
    expect(points[1]!.t - points[0]!.t).toBeGreaterThanOrEqual(30_000);
  });

  it("never runs past now, and has a sensible window without rows", () => {
    const recent = [{ at: new Date(now - 5_000).toISOString() }];
    expect(timelineWindow(recent, null, now).until).toBe(now);
    expect(timelineWindow([], null, now)).toEqual({ since: now - 3_600_000, until: now });
  });
});

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
});

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
