"use client";

import { useEffect, useRef, useState } from "react";
import { ApiError } from "@/app/_lib/api-client";
import { FormOutcome } from "@/app/_components/ui/form-outcome";
import { formatNumber } from "@/app/_lib/format";
import { useCorrectStat } from "@/app/_hooks/queries/history";
import type { StatDefinitionDto } from "@/app/_hooks/queries/history";
import type { PlayerDto } from "@/app/_hooks/queries/players";
import { previewStatCorrection, statBoundsText } from "@/lib/dashboard/correction-preview";

type PlayerWithStats = PlayerDto & { stats?: Record<string, number> };

/**
 * Support's correction of any declared stat, at parity with health: set or add, judged while
 * typing (bounds as numbers, the bounding stat by name), a preview, a confirmation that carries the
 * version reviewed as If-Match, and focus that follows each step (Apply, then the result).
 */
export function CorrectStatForm({ player, stats, valueOf }: { player: PlayerWithStats; stats: StatDefinitionDto[]; valueOf: (stat: StatDefinitionDto) => number }) {
  const [statKey, setStatKey] = useState(stats[0]!.key);
  const [op, setOp] = useState<"set" | "add">("add");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [reviewed, setReviewed] = useState<{ version: number; value: number } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const correct = useCorrectStat(player.id);
  const definition = stats.find((candidate) => candidate.key === statKey) ?? stats[0]!;
  const bound = definition.maxStat ? stats.find((candidate) => candidate.key === definition.maxStat) : undefined;
  const max = definition.maxStat ? (bound ? valueOf(bound) : definition.maxStat === "maxHealth" ? player.maxHealth : Number.MAX_SAFE_INTEGER) : (definition.max ?? Number.MAX_SAFE_INTEGER);
  const maxLabel = definition.maxStat ? (bound?.label ?? definition.maxStat) : null;
  const current = valueOf(definition);
  const basis = reviewed ?? { version: player.version, value: current };
  const preview = previewStatCorrection({ op, amount, reason, label: definition.label, value: basis.value, min: definition.min, max, maxLabel });
  const amountError = amount !== "" && preview.errors.amount ? preview.errors.amount : null;
  const reasonError = reason !== "" && preview.errors.reason ? preview.errors.reason : null;
  const stale = reviewed !== null && reviewed.version !== player.version;

  const applyRef = useRef<HTMLButtonElement>(null);
  const reviewRef = useRef<HTMLButtonElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const [focus, setFocus] = useState<"apply" | "review" | "done" | null>(null);
  useEffect(() => {
    if (!focus) return;
    ({ apply: applyRef, review: reviewRef, done: doneRef })[focus].current?.focus();
    setFocus(null);
  }, [focus]);

  const edit = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setDone(null);
    correct.reset();
  };
  const apply = () => {
    if (!preview.ok || !reviewed || stale) return;
    correct.mutate(
      { stat: definition.key, op, value: op === "set" ? preview.after : Number(amount.replaceAll(",", "")), reason: reason.trim(), version: reviewed.version },
      {
        onSuccess: (result) => {
          setDone(`Corrected: ${result.events.map((row) => `${row.field} ${formatNumber(row.before)} → ${formatNumber(row.after)}`).join(", ")}.`);
          setReviewed(null);
          setAmount("");
          setReason("");
          setFocus("done");
        },
        onError: () => {
          setReviewed(null);
          setFocus("review");
        },
      },
    );
  };
  const error = correct.error instanceof ApiError ? correct.error : null;
  const confirming = reviewed !== null;
  return (
    <form
      aria-label="Correct a stat"
      className="correction stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!preview.ok) return;
        setReviewed({ version: player.version, value: current });
        setFocus("apply");
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape" && confirming) {
          event.preventDefault();
          setReviewed(null);
          setFocus("review");
        }
      }}
    >
      <h3>Correct a stat</h3>
      {/* Labelled by id: a wrapping label would name the select with every option's text. */}
      <div className="field">
        <label htmlFor="correct-stat-key">Stat</label>
        <select id="correct-stat-key" value={statKey} disabled={confirming} onChange={(event) => edit(setStatKey)(event.target.value)}>
          {stats.map((candidate) => (
            <option key={candidate.key} value={candidate.key}>
              {candidate.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="mode" disabled={confirming}>
        <legend>Correction</legend>
        <label>
          <input type="radio" name="stat-op" checked={op === "add"} onChange={() => edit(setOp)("add")} /> Add (+ or −)
        </label>
        <label>
          <input type="radio" name="stat-op" checked={op === "set"} onChange={() => edit(setOp)("set")} /> Set to
        </label>
      </fieldset>
      <p className="muted" id="stat-bounds">
        {definition.label} is {formatNumber(current)}; bounds {statBoundsText({ min: definition.min, max, maxLabel })}.
      </p>
      <label className="field">
        {op === "add" ? "Amount to add" : "New value"}
        <input
          inputMode="numeric"
          value={amount}
          disabled={confirming}
          onChange={(event) => edit(setAmount)(event.target.value)}
          aria-invalid={amountError ? true : undefined}
          aria-describedby={amountError ? "stat-bounds stat-amount-error" : "stat-bounds"}
        />
      </label>
      {amountError ? (
        <p id="stat-amount-error" className="form-error">
          {amountError}
        </p>
      ) : null}
      <label className="field">
        Reason for the stat correction (required, audited)
        <input value={reason} disabled={confirming} onChange={(event) => edit(setReason)(event.target.value)} maxLength={500} aria-invalid={reasonError ? true : undefined} aria-describedby={reasonError ? "stat-reason-error" : undefined} />
      </label>
      {reasonError ? (
        <p id="stat-reason-error" className="form-error">
          {reasonError}
        </p>
      ) : null}
      <p className="preview" aria-live="polite">
        Preview: {definition.label.toLowerCase()} {formatNumber(basis.value)} → <strong>{preview.ok ? formatNumber(preview.after) : "?"}</strong>
      </p>
      <FormOutcome error={error ? `Not corrected: ${error.message}` : null} done={done} doneRef={doneRef} />
      {confirming && preview.ok ? (
        <div className="confirm" role="group" aria-label="Confirm stat correction">
          <span>
            {op === "add" ? "Add" : "Set"} {definition.label.toLowerCase()}: {formatNumber(reviewed.value)} → <strong>{formatNumber(preview.after)}</strong>?
          </span>
          {stale ? (
            <span className="warn" role="alert">
              The player has changed since you reviewed this; cancel and review again.
            </span>
          ) : null}
          <button ref={applyRef} type="button" className="button primary" onClick={apply} disabled={correct.isPending || stale}>
            {correct.isPending ? "Applying…" : "Apply stat correction"}
          </button>
          <button type="button" className="button secondary" onClick={() => (setReviewed(null), setFocus("review"))}>
            Cancel
          </button>
        </div>
      ) : (
        <button ref={reviewRef} type="submit" className="button primary" disabled={!preview.ok}>
          Review {definition.label.toLowerCase()} correction
        </button>
      )}
    </form>
  );
}
