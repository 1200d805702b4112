"use client";

import { useEffect, useRef, useState } from "react";
import type { FormEvent, KeyboardEvent } from "react";
import { ApiError } from "@/app/_lib/api-client";
import { FormOutcome } from "@/app/_components/ui/form-outcome";
import { useCorrectHealth } from "@/app/_hooks/queries/players";
import type { PlayerDto } from "@/app/_hooks/queries/players";
import { previewCorrection } from "@/lib/dashboard/correction-preview";

interface Conflict {
  expectedVersion: number;
  seenHealth: number;
}

/**
 * Support correction: set a value or apply a delta, with a reason, a preview and a confirmation.
 *
 * Reviewing always starts from the player as the page shows it now; the confirmation then holds
 * that state and sends its version as If-Match. If the player changes while the confirmation is
 * open, Apply is disabled (the server would refuse it) until the staff member reviews again. A 409
 * that still happens (another instance, a race) shows the current value and asks again; nothing is
 * ever overwritten silently. Escape cancels a confirmation; focus follows each step.
 */
export function CorrectHealthForm({ player, floor }: { player: PlayerDto; floor: number }) {
  const correct = useCorrectHealth(player.id);
  const [mode, setMode] = useState<"set" | "delta">("set");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  // The state the confirmation was reviewed against; null while editing.
  const [reviewed, setReviewed] = useState<{ version: number; health: number } | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [triedReview, setTriedReview] = useState(false);

  const applyRef = useRef<HTMLButtonElement>(null);
  const reviewRef = useRef<HTMLButtonElement>(null);
  const conflictRef = useRef<HTMLButtonElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const [focusTarget, setFocusTarget] = useState<"apply" | "review" | "conflict" | "done" | null>(null);
  useEffect(() => {
    if (!focusTarget) return;
    ({ apply: applyRef, review: reviewRef, conflict: conflictRef, done: doneRef })[focusTarget].current?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const basis = reviewed ?? { version: player.version, health: player.health };
  const preview = previewCorrection({ mode, amount, reason, health: basis.health, maxHealth: player.maxHealth, floor });
  const stale = reviewed !== null && player.version !== reviewed.version;
  // A field is marked invalid only once there is something to judge: typed into, or a review tried.
  const amountError = preview.errors.amount && (amount !== "" || triedReview) ? preview.errors.amount : null;
  const reasonError = preview.errors.reason && (reason !== "" || triedReview) ? preview.errors.reason : null;

  function startReview() {
    setDone(null);
    setConflict(null);
    setTriedReview(true);
    const current = { version: player.version, health: player.health };
    if (!previewCorrection({ mode, amount, reason, health: current.health, maxHealth: player.maxHealth, floor }).ok) return;
    setReviewed(current);
    setFocusTarget("apply");
  }

  function review(event: FormEvent) {
    event.preventDefault();
    startReview();
  }

  function cancel() {
    setReviewed(null);
    setFocusTarget("review");
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape" && reviewed) {
      event.preventDefault();
      cancel();
    }
  }

  function apply() {
    if (!preview.ok || !reviewed || stale) return;
    const correction = mode === "set" ? { health: preview.after, reason: reason.trim() } : { delta: Number(amount), reason: reason.trim() };
    correct.mutate(
      { correction, version: reviewed.version },
      {
        onSuccess: (result) => {
          setDone(`Health corrected: ${result.event.before} → ${result.event.after} (version ${result.player.version}).`);
          setReviewed(null);
          setConflict(null);
          setAmount("");
          setReason("");
          setTriedReview(false);
          setFocusTarget("done");
        },
        onError: (error) => {
          setReviewed(null);
          if (error instanceof ApiError && error.code === "stale_version") {
            setConflict({ expectedVersion: reviewed.version, seenHealth: reviewed.health });
            setFocusTarget("conflict");
          } else setFocusTarget("review");
        },
      },
    );
  }

  const error = correct.error instanceof ApiError && correct.error.code !== "stale_version" ? correct.error : null;
  const confirming = reviewed !== null;

  return (
    <form className="correction" onSubmit={review} onKeyDown={onKeyDown} aria-label="Correct health" noValidate>
      <fieldset className="mode" disabled={confirming}>
        <legend>Correction</legend>
        <label>
          <input type="radio" name="mode" value="set" checked={mode === "set"} onChange={() => setMode("set")} /> Set health to
        </label>
        <label>
          <input type="radio" name="mode" value="delta" checked={mode === "delta"} onChange={() => setMode("delta")} /> Change health by
        </label>
      </fieldset>
      <div className="row">
        <label className="field">
          {mode === "set" ? "New health" : "Change (+ or −)"}
          <input
            inputMode="numeric"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
            disabled={confirming}
            aria-invalid={amountError ? true : undefined}
            aria-describedby={amountError ? "amount-error" : undefined}
          />
        </label>
        <label className="field grow">
          Reason (required)
          <input
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            disabled={confirming}
            maxLength={500}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? "reason-error" : undefined}
            placeholder="e.g. ticket #4521: trap damage applied twice"
          />
        </label>
      </div>
      {amountError ? (
        <p id="amount-error" className="form-error">
          {amountError}
        </p>
      ) : null}
      {reasonError ? (
        <p id="reason-error" className="form-error">
          {reasonError}
        </p>
      ) : null}
      <p className="preview" aria-live="polite">
        Preview: health {basis.health} → <strong>{preview.ok ? preview.after : "?"}</strong> (based on version {basis.version})
      </p>
      {conflict ? (
        <div className="conflict" role="alert">
          <strong>Not applied: the player changed while you were editing.</strong>
          <p>
            You based the correction on health {conflict.seenHealth} at version {conflict.expectedVersion}. It is now <strong>{player.health}</strong> at version{" "}
            <strong>{player.version}</strong> ({player.version - conflict.expectedVersion} change{player.version - conflict.expectedVersion === 1 ? "" : "s"} since; see the ledger
            below). Review the correction against the current value and confirm again.
          </p>
          <button ref={conflictRef} type="button" className="button primary" onClick={startReview}>
            Review again with health {player.health}
          </button>
        </div>
      ) : null}
      <FormOutcome error={error?.message ?? null} done={done} doneRef={doneRef} />
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm correction">
          <span>
            Set {player.name}&apos;s health from {reviewed.health} to <strong>{preview.ok ? preview.after : ""}</strong>?
          </span>
          {stale ? (
            <span className="warn" role="alert">
              The player has changed since you reviewed this (now health {player.health}, version {player.version}); review again before applying.
            </span>
          ) : null}
          <button ref={applyRef} type="button" className="button primary" onClick={apply} disabled={correct.isPending || stale}>
            {correct.isPending ? "Applying…" : "Apply correction"}
          </button>
          {stale ? (
            <button type="button" className="button secondary" onClick={startReview}>
              Review again with health {player.health}
            </button>
          ) : null}
          <button type="button" className="button secondary" onClick={cancel}>
            Cancel
          </button>
        </div>
      ) : (
        <button ref={reviewRef} type="submit" className="button primary">
          Review correction
        </button>
      )}
    </form>
  );
}
