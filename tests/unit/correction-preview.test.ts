import { describe, expect, it } from "vitest";
import { previewCorrection } from "../../lib/dashboard/correction-preview.ts";

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
