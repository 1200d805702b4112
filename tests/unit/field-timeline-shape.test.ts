import { describe, expect, it } from "vitest";
import { downsampleSteps, fitTimelineWindow, markerItemIds, MAX_ITEMS_PER_MARKER, shapeFieldTimeline, withMarkerDetails } from "../../lib/dashboard/field-timeline-shape.ts";
import type { TimelineRow } from "../../lib/dashboard/field-timeline-shape.ts";

/** A seeded PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const start = Date.parse("2026-11-20T00:00:00Z");

/** 10,000 health changes (a random walk between −10 and 100), one every 3 s, with an XP gain every 50th. */
function busyPlayer(seed = 42): TimelineRow[] {
  const random = prng(seed);
  const rows: TimelineRow[] = [];
  let health = 100;
  let xp = 0;
  for (let i = 0; i < 10_000; i += 1) {
    const at = new Date(start + i * 3_000);
    if (i % 50 === 49) {
      rows.push({ id: rows.length + 1, at, field: "experience", before: xp, after: xp + 5, reason: "experience", actor: "gs", requestId: null, detail: null });
      xp += 5;
      continue;
    }
    const next = Math.max(-10, Math.min(100, health + Math.round((random() - 0.5) * 30)));
    rows.push({ id: rows.length + 1, at, field: "health", before: health, after: next, reason: next < health ? "damage" : "heal", actor: "gs", requestId: null, detail: null });
    health = next;
  }
  return rows;
}

describe("downsampleSteps", () => {
  it("keeps every bucket's minimum and maximum, the first and the last sample, within maxPoints", () => {
    const random = prng(7);
    const samples = Array.from({ length: 10_000 }, (_, i) => ({ t: i * 1_000, value: Math.round(random() * 1_000) - 500 }));
    samples[1234]!.value = -10_000; // a single deep spike
    samples[8765]!.value = 10_000;
    const kept = downsampleSteps(samples, 1_000);
    expect(kept.length).toBeLessThanOrEqual(1_000);
    expect(Math.min(...kept.map((s) => s.value))).toBe(-10_000);
    expect(Math.max(...kept.map((s) => s.value))).toBe(10_000);
    expect(kept[0]).toBe(samples[0]);
    expect(kept.at(-1)).toBe(samples.at(-1));
    // Per bucket too: every tenth of the range keeps its own extremes.
    for (let part = 0; part < 10; part += 1) {
      const inPart = (s: { t: number }) => s.t >= part * 1_000_000 && s.t < (part + 1) * 1_000_000;
      expect(Math.min(...kept.filter(inPart).map((s) => s.value))).toBe(Math.min(...samples.filter(inPart).map((s) => s.value)));
      expect(Math.max(...kept.filter(inPart).map((s) => s.value))).toBe(Math.max(...samples.filter(inPart).map((s) => s.value)));
    }
  });

  it("leaves short series alone", () => {
    const samples = [{ t: 1, value: 1 }, { t: 2, value: 2 }];
    expect(downsampleSteps(samples, 1_000)).toBe(samples);
  });
});

describe("shapeFieldTimeline with a 10,000-event player", () => {
  const rows = busyPlayer();
  const until = start + 10_000 * 3_000 + 60_000;
  const shaped = shapeFieldTimeline(rows, { field: "health", since: start - 60_000, until, currentValue: 0, markOtherFields: true });
  const healthRows = rows.filter((row) => row.field === "health");

  it("stays within ~1,000 line points plus the markers, and keeps the true minimum, maximum and final value", () => {
    expect(shaped.filter((point) => !point.marker).length).toBeLessThanOrEqual(1_000);
    expect(shaped.filter((point) => point.marker).length).toBeLessThanOrEqual(150);
    const values = shaped.map((point) => point.value);
    expect(Math.min(...values)).toBe(Math.min(...healthRows.map((row) => row.after)));
    expect(Math.max(...values)).toBe(Math.max(100, ...healthRows.map((row) => row.after)));
    expect(shaped.at(-1)!.value).toBe(healthRows.at(-1)!.after);
    expect(shaped.map((point) => point.t)).toEqual([...shaped.map((point) => point.t)].sort((a, b) => a - b));
  });

  it("clusters markers: counts add up to every row, items are capped, XP changes are marked on the health line", () => {
    const markers = shaped.flatMap((point) => (point.marker ? [point.marker] : []));
    expect(markers.reduce((sum, marker) => sum + marker.count, 0)).toBe(rows.length);
    expect(Math.max(...markers.map((marker) => marker.items.length))).toBe(MAX_ITEMS_PER_MARKER);
    expect(markers.some((marker) => marker.fields.includes("experience"))).toBe(true);
  });
});

describe("shapeFieldTimeline with the seed story", () => {
  const at = (time: string) => new Date(`2026-11-20T${time}Z`);
  const rows: TimelineRow[] = [
    { id: 1, at: at("13:40:48"), field: "health", before: 100, after: 90, reason: "damage", actor: "gs", requestId: "r1", detail: { source: "npc" } },
    { id: 2, at: at("13:41:00"), field: "health", before: 90, after: 80, reason: "damage", actor: "gs", requestId: "r2", detail: null },
    { id: 3, at: at("13:41:12"), field: "health", before: 80, after: 70, reason: "damage", actor: "gs", requestId: "r3", detail: null },
    { id: 4, at: at("13:41:19"), field: "experience", before: 554, after: 555, reason: "experience", actor: "gs", requestId: "r4", detail: null },
    { id: 5, at: at("13:41:20"), field: "health", before: 70, after: 75, reason: "correction", actor: "support", requestId: "r5", detail: { delta: 5, note: "refund a lag death" } },
  ];
  const changes = { first: at("13:40:48").getTime(), last: at("13:41:20").getTime() };
  const window = fitTimelineWindow(changes, 3_600_000, at("13:45:00").getTime());

  it("fits a 1 h window to the changes instead of squeezing them into its right edge", () => {
    expect(window.until - window.since).toBeLessThan(10 * 60_000);
    expect(window.since).toBeLessThan(changes.first);
    expect(window.until).toBe(at("13:45:00").getTime());
  });

  it("fits All to the ledger's span, even when the story is hours old", () => {
    const all = fitTimelineWindow(changes, null, at("15:38:00").getTime());
    expect(all.since).toBeLessThan(changes.first);
    expect(all.until).toBeGreaterThan(changes.last);
    // The 32 s story fills most of the chart instead of a sliver at the left of two hours.
    expect((changes.last - changes.first) / (all.until - all.since)).toBeGreaterThan(0.25);
  });

  it("draws 100 → 90 → 80 → 70 → 75; close changes share a counted marker that lists them, the correction's reason included", () => {
    const shaped = shapeFieldTimeline(rows, { field: "health", ...window, currentValue: 75, markOtherFields: true });
    expect(shaped.filter((point) => !point.marker).map((point) => point.value)).toEqual([100, 90, 80, 70, 75, 75]);
    const markers = shaped.flatMap((point) => (point.marker ? [point.marker] : []));
    // The XP gain and the correction one second later share a slot: one marker that says 2 and lists both.
    expect(markers.map((marker) => marker.count)).toEqual([1, 1, 1, 2]);
    expect(markers[3]).toMatchObject({ reason: "mixed", fields: ["experience", "health"] });
    expect(markers[3]!.items.map((item) => [item.field, item.reason, item.note])).toEqual([
      ["experience", "experience", null],
      ["health", "correction", "refund a lag death"],
    ]);
  });

  it("fills in who and why afterwards when the rows were read without them (large ledgers)", () => {
    const slim = rows.map(({ id, at, field, before, after, reason }) => ({ id, at, field, before, after, reason }));
    const shaped = shapeFieldTimeline(slim, { field: "health", ...window, currentValue: 75, markOtherFields: true });
    expect(markerItemIds(shaped)).toEqual([1, 2, 3, 4, 5]);
    const filled = withMarkerDetails(shaped, rows.map((row) => ({ id: row.id, actor: row.actor!, requestId: row.requestId!, detail: row.detail })));
    const items = filled.flatMap((point) => point.marker?.items ?? []);
    expect(items.at(-1)).toMatchObject({ actor: "support", requestId: "r5", note: "refund a lag death", delta: 5 });
  });

  it("draws a flat line at the current value when the range holds no change of the field", () => {
    const shaped = shapeFieldTimeline([], { field: "health", since: 0, until: 1_000, currentValue: 42 });
    expect(shaped.map((point) => [point.t, point.value])).toEqual([
      [0, 42],
      [1_000, 42],
    ]);
  });
});
