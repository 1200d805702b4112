"use client";

import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useDisplayZone } from "@/app/_components/display-zone";
import { formatDateTime } from "@/app/_lib/format";
import { fromDateTimeLocalValue, toDateTimeLocalValue } from "@/lib/dashboard/time-axis";
import type { TimeRange } from "@/lib/dashboard/time-range";

interface TimeRangePickerProps<K extends string> {
  label: string;
  presets: ReadonlyArray<{ key: K; label: string; ms: number }>;
  range: TimeRange<K>;
  onChange: (range: TimeRange<K>) => void;
}

/**
 * Named ranges, plus a custom absolute range (from/to in the chosen zone). Drag-to-zoom on a chart
 * produces a custom range too; "Custom" then shows it and lets it be edited or left.
 */
export function TimeRangePicker<K extends string>({ label, presets, range, onChange }: TimeRangePickerProps<K>) {
  const { zone } = useDisplayZone();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const now = Date.now();
  const shown = range.kind === "custom" ? range : { from: now - (presets.find((preset) => preset.key === range.key)?.ms ?? 3_600_000), to: now };
  const [from, setFrom] = useState(() => toDateTimeLocalValue(shown.from, zone));
  const [to, setTo] = useState(() => toDateTimeLocalValue(shown.to, zone));
  const [error, setError] = useState<string | null>(null);
  const custom = range.kind === "custom";

  function openCustom() {
    setFrom(toDateTimeLocalValue(shown.from, zone));
    setTo(toDateTimeLocalValue(shown.to, zone));
    setError(null);
    setEditing(true);
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    const start = fromDateTimeLocalValue(from, zone);
    const end = fromDateTimeLocalValue(to, zone);
    if (start === null || end === null) return setError("Enter both dates and times");
    if (end <= start) return setError("“To” must be after “From”");
    setError(null);
    setEditing(false);
    onChange({ kind: "custom", from: start, to: end });
  }

  return (
    <div className="range-picker">
      <div className="segmented" role="radiogroup" aria-label={label}>
        {presets.map((preset) => (
          <button
            key={preset.key}
            type="button"
            role="radio"
            aria-checked={!custom && range.key === preset.key}
            className={!custom && range.key === preset.key ? "selected" : ""}
            onClick={() => {
              setEditing(false);
              onChange({ kind: "preset", key: preset.key });
            }}
          >
            {preset.label}
          </button>
        ))}
        <button type="button" role="radio" aria-checked={custom} className={custom ? "selected" : ""} onClick={openCustom}>
          Custom
        </button>
      </div>
      {custom && !editing ? (
        <span className="muted range-shown">
          {formatDateTime(range.from)} – {formatDateTime(range.to)}
        </span>
      ) : null}
      {editing ? (
        <form id={`${id}-custom`} className="custom-range" onSubmit={apply} aria-label="Custom time range" onKeyDown={(event) => event.key === "Escape" && setEditing(false)}>
          <label className="field inline">
            From
            <input type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} required />
          </label>
          <label className="field inline">
            To
            <input type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} required />
          </label>
          <button type="submit" className="button primary">
            Show range
          </button>
          <button type="button" className="button secondary" onClick={() => setEditing(false)}>
            Cancel
          </button>
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
