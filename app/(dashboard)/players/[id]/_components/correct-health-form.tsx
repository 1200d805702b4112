"use client";

import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError } from "@/app/_lib/api-client";
import { useCorrectHealth } from "@/app/_hooks/queries/players";
import type { PlayerDto } from "@/app/_hooks/queries/players";
import { previewCorrection } from "@/lib/dashboard/correction-preview";

interface Conflict {
  expectedVersion: number;
  seenHealth: number;
}

/**
 * Support correction: set a value or apply a delta, with a reason, a preview and a confirmation.
 * It sends If-Match with the version on screen; if the player changed meanwhile (409) it shows
 * the current value and asks again — it never overwrites silently.
 */
export function CorrectHealthForm({ player, floor }: { player: PlayerDto; floor: number }) {
  const correct = useCorrectHealth(player.id);
  const [mode, setMode] = useState<"set" | "delta">("set");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  // The state the staff member based the correction on; only "Review again" moves it forward.
  const [basis, setBasis] = useState<{ version: number; health: number }>({ version: player.version, health: player.health });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const preview = previewCorrection({ mode, amount, reason, health: basis.health, maxHealth: player.maxHealth, floor });
  const changedSinceBasis = player.version !== basis.version;

  function review(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    if (preview.ok) setConfirming(true);
  }

  function apply() {
    if (!preview.ok) return;
    const correction = mode === "set" ? { health: preview.after, reason: reason.trim() } : { delta: Number(amount), reason: reason.trim() };
    correct.mutate(
      { correction, version: basis.version },
      {
        onSuccess: (result) => {
          setDone(`Health corrected: ${result.event.before} → ${result.event.after} (version ${result.player.version}).`);
          setConfirming(false);
          setConflict(null);
          setAmount("");
          setReason("");
          setBasis({ version: result.player.version, health: result.player.health });
        },
        onError: (error) => {
          setConfirming(false);
          if (error instanceof ApiError && error.code === "stale_version") setConflict({ expectedVersion: basis.version, seenHealth: basis.health });
        },
      },
    );
  }

  function reviewAgainstCurrent() {
    setBasis({ version: player.version, health: player.health });
    setConflict(null);
  }

  const error = correct.error instanceof ApiError && correct.error.code !== "stale_version" ? correct.error : null;

  return (
    <form className="correction" onSubmit={review} aria-label="Correct health">
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
          <input inputMode="numeric" value={amount} onChange={(event) => setAmount(event.target.value)} disabled={confirming} aria-invalid={Boolean(preview.errors.amount)} aria-describedby="amount-error" />
        </label>
        <label className="field grow">
          Reason (required)
          <input value={reason} onChange={(event) => setReason(event.target.value)} disabled={confirming} maxLength={500} aria-invalid={Boolean(preview.errors.reason)} aria-describedby="reason-error" placeholder="e.g. ticket #4521: trap damage applied twice" />
        </label>
      </div>
      {preview.errors.amount && amount !== "" ? (
        <p id="amount-error" className="form-error">
          {preview.errors.amount}
        </p>
      ) : null}
      {preview.errors.reason && reason !== "" ? (
        <p id="reason-error" className="form-error">
          {preview.errors.reason}
        </p>
      ) : null}
      <p className="preview" aria-live="polite">
        Preview: health {basis.health} → <strong>{preview.ok ? preview.after : "?"}</strong> (based on version {basis.version})
        {changedSinceBasis && !conflict ? <span className="warn"> · the player has changed since; the server will refuse this until you review again</span> : null}
      </p>
      {conflict ? (
        <div className="conflict" role="alert">
          <strong>Not applied: the player changed while you were editing.</strong>
          <p>
            You based the correction on health {conflict.seenHealth} at version {conflict.expectedVersion}. It is now <strong>{player.health}</strong> at version{" "}
            <strong>{player.version}</strong> ({player.version - conflict.expectedVersion} change{player.version - conflict.expectedVersion === 1 ? "" : "s"} since; see the ledger
            below). Review the correction against the current value and confirm again.
          </p>
          <button type="button" className="button primary" onClick={reviewAgainstCurrent}>
            Review again with health {player.health}
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      ) : null}
      {done ? (
        <p className="success" role="status">
          {done}
        </p>
      ) : null}
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm correction">
          <span>
            Set {player.name}&apos;s health from {basis.health} to <strong>{preview.ok ? preview.after : ""}</strong>?
          </span>
          <button type="button" className="button primary" onClick={apply} disabled={correct.isPending}>
            {correct.isPending ? "Applying…" : "Apply correction"}
          </button>
          <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="submit" className="button primary" disabled={!preview.ok || Boolean(conflict)}>
          Review correction
        </button>
      )}
    </form>
  );
}
