import { describe, expect, it } from "vitest";
import { formatInstant, formatTick, fromDateTimeLocalValue, timeTicks, toDateTimeLocalValue, zoneOffsetMs, zoomRange } from "../../lib/dashboard/time-axis.ts";
import { parseTimeRange, resolveTimeRange, timeRangeParams } from "../../lib/dashboard/time-range.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ticks: number[]) => ticks.map((tick) => new Date(tick).toISOString());

describe("timeTicks", () => {
  it("puts the ticks of an hour that starts at an odd second on round minutes", () => {
    const axis = timeTicks(at("2026-11-25T12:48:39.412Z"), at("2026-11-25T13:48:39.412Z"), "UTC", 6);
    expect(axis.stepMs).toBe(15 * 60_000);
    expect(iso(axis.ticks)).toEqual(["2026-11-25T13:00:00.000Z", "2026-11-25T13:15:00.000Z", "2026-11-25T13:30:00.000Z", "2026-11-25T13:45:00.000Z"]);
    expect(axis.multiDay).toBe(false);
    expect(axis.ticks.map((tick) => formatTick(tick, axis, "UTC"))).toEqual(["13:00", "13:15", "13:30", "13:45"]);
  });

  it("never gives more ticks than asked, and every tick lies inside the range", () => {
    for (const span of [7_000, 90_000, 15 * 60_000, 3_600_000, 86_400_000, 7 * 86_400_000, 40 * 86_400_000]) {
      for (const maxTicks of [2, 3, 5, 8]) {
        const from = at("2026-11-25T12:48:39.412Z");
        const axis = timeTicks(from, from + span, "UTC", maxTicks);
        expect(axis.ticks.length).toBeLessThanOrEqual(maxTicks);
        expect(axis.ticks.length).toBeGreaterThan(0);
        for (const tick of axis.ticks) {
          expect(tick).toBeGreaterThanOrEqual(from);
          expect(tick).toBeLessThanOrEqual(from + span);
          expect(tick % axis.stepMs).toBe(0);
        }
      }
    }
  });

  it("shows seconds only below a minute's step", () => {
    const axis = timeTicks(at("2026-11-25T12:48:39Z"), at("2026-11-25T12:49:09Z"), "UTC", 4);
    expect(axis.stepMs).toBe(10_000);
    expect(axis.ticks.map((tick) => formatTick(tick, axis, "UTC"))).toEqual(["12:48:40", "12:48:50", "12:49:00"]);
  });

  it("dates the ticks of a 24 h axis, and a midnight tick is the date alone", () => {
    const axis = timeTicks(at("2026-11-24T13:48:39Z"), at("2026-11-25T13:48:39Z"), "UTC", 5);
    expect(axis.multiDay).toBe(true);
    expect(axis.stepMs).toBe(6 * 3_600_000);
    expect(axis.ticks.map((tick) => formatTick(tick, axis, "UTC"))).toEqual(["24 Nov 18:00", "25 Nov", "25 Nov 06:00", "25 Nov 12:00"]);
  });

  it("labels a 7 d axis with days", () => {
    const axis = timeTicks(at("2026-11-18T13:48:39Z"), at("2026-11-25T13:48:39Z"), "UTC", 8);
    expect(axis.stepMs).toBe(86_400_000);
    expect(axis.ticks.map((tick) => formatTick(tick, axis, "UTC"))).toEqual(["19 Nov", "20 Nov", "21 Nov", "22 Nov", "23 Nov", "24 Nov", "25 Nov"]);
  });

  it("aligns to the wall clock of the display zone, half-hour offsets included", () => {
    expect(zoneOffsetMs(at("2026-11-25T12:00:00Z"), "Asia/Kolkata")).toBe(5.5 * 3_600_000);
    const axis = timeTicks(at("2026-11-25T10:10:00Z"), at("2026-11-25T16:10:00Z"), "Asia/Kolkata", 4);
    expect(axis.stepMs).toBe(2 * 3_600_000);
    // 16:00, 18:00, 20:00 in India are 10:30, 12:30, 14:30 UTC.
    expect(iso(axis.ticks)).toEqual(["2026-11-25T10:30:00.000Z", "2026-11-25T12:30:00.000Z", "2026-11-25T14:30:00.000Z"]);
    expect(axis.ticks.map((tick) => formatTick(tick, axis, "Asia/Kolkata"))).toEqual(["16:00", "18:00", "20:00"]);
  });

  it("follows a daylight-saving change: ticks stay on the local hour", () => {
    // Berlin leaves summer time at 01:00 UTC on 25 Oct 2026 (03:00 CEST → 02:00 CET).
    const axis = timeTicks(at("2026-10-24T22:00:00Z"), at("2026-10-25T06:00:00Z"), "Europe/Berlin", 5);
    expect(iso(axis.ticks)).toEqual(["2026-10-24T22:00:00.000Z", "2026-10-25T00:00:00.000Z", "2026-10-25T03:00:00.000Z", "2026-10-25T05:00:00.000Z"]);
    expect(axis.ticks.map((tick) => formatTick(tick, axis, "Europe/Berlin"))).toEqual(["00:00", "02:00", "04:00", "06:00"]);
  });

  it("gives no ticks for an empty range", () => {
    expect(timeTicks(1_000, 1_000, "UTC").ticks).toEqual([]);
  });
});

describe("formatInstant: one date format for the console", () => {
  it("reads UTC with the zone named", () => {
    expect(formatInstant("2026-11-25T13:45:02.120Z", "utc")).toBe("25 Nov 2026, 13:45:02 UTC");
  });
});

describe("datetime-local values", () => {
  it("round-trip in UTC", () => {
    expect(toDateTimeLocalValue(at("2026-11-25T13:45:59Z"), "utc")).toBe("2026-11-25T13:45");
    expect(fromDateTimeLocalValue("2026-11-25T13:45", "utc")).toBe(at("2026-11-25T13:45:00Z"));
  });

  it("refuse what is not a date and time", () => {
    expect(fromDateTimeLocalValue("", "utc")).toBeNull();
    expect(fromDateTimeLocalValue("yesterday", "utc")).toBeNull();
  });
});

describe("zoomRange", () => {
  it("orders a selection dragged right to left and refuses a click without a drag", () => {
    expect(zoomRange(5_000_000, 1_000_000)).toEqual({ from: 1_000_000, to: 5_000_000 });
    expect(zoomRange(1_000_000, 1_000_000)).toBeNull();
  });
});

describe("time ranges in the URL", () => {
  const presets = ["15m", "1h", "24h", "7d"] as const;
  const presetMs = { "15m": 900_000, "1h": 3_600_000, "24h": 86_400_000, "7d": 604_800_000 };

  it("reads a preset, falls back on an unknown one, and prefers a valid custom range", () => {
    expect(parseTimeRange(new URLSearchParams("range=24h"), presets, "1h")).toEqual({ kind: "preset", key: "24h" });
    expect(parseTimeRange(new URLSearchParams("range=3y"), presets, "1h")).toEqual({ kind: "preset", key: "1h" });
    const custom = parseTimeRange(new URLSearchParams("from=2026-11-25T12:00:00.000Z&to=2026-11-25T13:00:00.000Z"), presets, "1h");
    expect(custom).toEqual({ kind: "custom", from: at("2026-11-25T12:00:00Z"), to: at("2026-11-25T13:00:00Z") });
    expect(parseTimeRange(new URLSearchParams("from=2026-11-25T13:00:00Z&to=2026-11-25T12:00:00Z&range=7d"), presets, "1h")).toEqual({ kind: "preset", key: "7d" });
  });

  it("writes back what it reads", () => {
    const custom = { kind: "custom" as const, from: at("2026-11-25T12:00:00Z"), to: at("2026-11-25T13:00:00Z") };
    const params = new URLSearchParams(Object.entries(timeRangeParams(custom)).filter((entry): entry is [string, string] => entry[1] !== null));
    expect(parseTimeRange(params, presets, "1h")).toEqual(custom);
    expect(timeRangeParams({ kind: "preset", key: "24h" })).toEqual({ range: "24h", from: null, to: null });
  });

  it("resolves presets against now and keeps custom ranges fixed", () => {
    expect(resolveTimeRange({ kind: "preset", key: "1h" }, presetMs, 10_000_000)).toEqual({ from: 6_400_000, to: 10_000_000 });
    expect(resolveTimeRange({ kind: "custom", from: 1, to: 2 }, presetMs, 10_000_000)).toEqual({ from: 1, to: 2 });
  });
});
