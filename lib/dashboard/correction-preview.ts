/**
 * The correction form's validation and preview, as a pure function (tested in
 * tests/unit/correction-preview.test.ts). It mirrors the server's rules; the server decides.
 */
export interface CorrectionPreviewInput {
  mode: "set" | "delta";
  amount: string;
  reason: string;
  health: number;
  maxHealth: number;
  floor: number;
}

export type CorrectionPreview =
  | { ok: true; after: number; errors: Record<string, never> }
  | { ok: false; errors: { amount?: string; reason?: string } };

export function previewCorrection(input: CorrectionPreviewInput): CorrectionPreview {
  const errors: { amount?: string; reason?: string } = {};
  const text = input.amount.trim();
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  let after = Number.NaN;
  if (!Number.isSafeInteger(value)) {
    errors.amount = "Enter a whole number";
  } else if (input.mode === "set") {
    if (value < input.floor || value > input.maxHealth) errors.amount = `Health must be between ${input.floor} and ${input.maxHealth}`;
    else if (value === input.health) errors.amount = "That is the current value";
    else after = value;
  } else if (value === 0) {
    errors.amount = "A change of 0 changes nothing";
  } else {
    // Clamped like the server: never above maxHealth, never below the floor.
    after = Math.min(input.maxHealth, Math.max(input.floor, input.health + value));
    if (after === input.health) errors.amount = `Health is already at the ${value > 0 ? "maximum" : "floor"}`;
  }
  const reason = input.reason.trim();
  if (reason.length < 3) errors.reason = "Give a reason (at least 3 characters)";
  if (errors.amount || errors.reason) return { ok: false, errors };
  return { ok: true, after, errors: {} };
}

/** A stat correction (set a value, or add to it), judged as the user types. */
export interface StatCorrectionInput {
  op: "set" | "add";
  amount: string;
  reason: string;
  label: string;
  value: number;
  min: number;
  /** The upper bound's value, and what it is: the stat's own max, or another stat (maxMana). */
  max: number;
  maxLabel: string | null;
}

const numberFormat = new Intl.NumberFormat("en-US");

/** "0 … 1,000,000,000" or "0 … 120 (Max mana)": numbers, and the bounding stat by name. */
export function statBoundsText(bounds: { min: number; max: number; maxLabel: string | null }): string {
  return `${numberFormat.format(bounds.min)} … ${numberFormat.format(bounds.max)}${bounds.maxLabel ? ` (${bounds.maxLabel})` : ""}`;
}

/** Like the server: `set` outside the bounds is refused, `add` is clamped to them. */
export function previewStatCorrection(input: StatCorrectionInput): CorrectionPreview {
  const errors: { amount?: string; reason?: string } = {};
  const text = input.amount.trim().replaceAll(",", "");
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  let after = Number.NaN;
  if (!Number.isSafeInteger(value)) errors.amount = "Enter a whole number";
  else if (input.op === "set") {
    if (value < input.min || value > input.max) errors.amount = `${input.label} must be between ${statBoundsText(input)}`;
    else if (value === input.value) errors.amount = "That is the current value";
    else after = value;
  } else if (value === 0) errors.amount = "Adding 0 changes nothing";
  else {
    after = Math.min(input.max, Math.max(input.min, input.value + value));
    if (after === input.value) errors.amount = `${input.label} is already at its ${value > 0 ? "maximum" : "minimum"}`;
  }
  if (input.reason.trim().length < 3) errors.reason = "Give a reason (at least 3 characters)";
  if (errors.amount || errors.reason) return { ok: false, errors };
  return { ok: true, after, errors: {} };
}
