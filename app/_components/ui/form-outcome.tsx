import type { Ref } from "react";

/**
 * A correction form's outcome: the server's refusal (an alert), or the result, which takes focus
 * (tabIndex -1) so a keyboard user lands on it instead of on BODY.
 */
export function FormOutcome({ error, done, doneRef }: { error: string | null; done: string | null; doneRef: Ref<HTMLParagraphElement> }) {
  return (
    <>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {done ? (
        <p ref={doneRef} className="success" role="status" tabIndex={-1}>
          {done}
        </p>
      ) : null}
    </>
  );
}
