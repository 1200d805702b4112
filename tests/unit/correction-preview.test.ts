import { describe, expect, it } from "vitest";
import { previewCorrection, previewStatCorrection, statBoundsText } from "../../lib/dashboard/correction-preview.ts";

const base = { health: 70, maxHealth: 100, floor: -10, reason: "ticket #1" };

describe("correction preview", () => {
  it("previews a set value within [floor, maxHealth]", () => {
    expect(previewCorrection({ ...base, mode: "set", amount: "95" })).toEqual({ ok: true, after: 95, errors: {} });
    expect(previewCorrection({ ...base, mode: "set", amount: "101" })).toMatchObject({ ok: false, errors: { amount: "Health must be between -10 and 100" } });
    expect(previewCorrection({ ...base, mode: "set", amount: "-11" })).toMatchObject({ ok: false });
    expect(previewCorrection({ ...base, mode: "set", amount: "70" })).toMatchObject({ ok: false, errors: { amount: "That is the current value" } });
  });

  it("clamps a delta like the server does", () => {
    expect(previewCorrection({ ...base, mode: "delta", amount: "+50" })).toMatchObject({ ok: true, after: 100 });
    expect(previewCorrection({ ...base, mode: "delta", amount: "-500" })).toMatchObject({ ok: true, after: -10 });
    expect(previewCorrection({ ...base, mode: "delta", amount: "0" })).toMatchObject({ ok: false });
    expect(previewCorrection({ ...base, health: 100, mode: "delta", amount: "5" })).toMatchObject({ ok: false, errors: { amount: "Health is already at the maximum" } });
  });

  it("requires a whole number and a reason", () => {
    expect(previewCorrection({ ...base, mode: "set", amount: "1.5" })).toMatchObject({ ok: false, errors: { amount: "Enter a whole number" } });
    expect(previewCorrection({ ...base, mode: "set", amount: "abc" })).toMatchObject({ ok: false });
    expect(previewCorrection({ ...base, mode: "set", amount: "90", reason: " a " })).toMatchObject({ ok: false, errors: { reason: "Give a reason (at least 3 characters)" } });
  });
});

describe("previewStatCorrection", () => {
  const mana = { label: "Mana", value: 40, min: 0, max: 120, maxLabel: "Max mana", reason: "ticket #9" };
  it("adds with clamping and sets within the bounds, as the server does", () => {
    expect(previewStatCorrection({ ...mana, op: "add", amount: "50" })).toMatchObject({ ok: true, after: 90 });
    expect(previewStatCorrection({ ...mana, op: "add", amount: "500" })).toMatchObject({ ok: true, after: 120 });
    expect(previewStatCorrection({ ...mana, op: "add", amount: "-50" })).toMatchObject({ ok: true, after: 0 });
    expect(previewStatCorrection({ ...mana, op: "set", amount: "100" })).toMatchObject({ ok: true, after: 100 });
  });
  it("names the bounds with numbers and the bounding stat, while typing", () => {
    expect(previewStatCorrection({ ...mana, op: "set", amount: "121" }).errors.amount).toBe("Mana must be between 0 … 120 (Max mana)");
    expect(previewStatCorrection({ ...mana, op: "add", amount: "abc" }).errors.amount).toBe("Enter a whole number");
    expect(previewStatCorrection({ ...mana, op: "add", amount: "0" }).errors.amount).toBe("Adding 0 changes nothing");
    expect(previewStatCorrection({ ...mana, value: 120, op: "add", amount: "5" }).errors.amount).toBe("Mana is already at its maximum");
    expect(previewStatCorrection({ ...mana, op: "add", amount: "5", reason: "" }).errors.reason).toMatch(/reason/);
    expect(statBoundsText({ min: 0, max: 1_000_000_000, maxLabel: null })).toBe("0 … 1,000,000,000");
  });
});
