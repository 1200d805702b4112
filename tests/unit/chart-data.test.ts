import { describe, expect, it } from "vitest";
import { cacheStatsRows, fieldTimeline } from "../../lib/dashboard/chart-data.ts";
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
