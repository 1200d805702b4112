"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError, apiFetch } from "@/app/_lib/api-client";

export function SignInForm({ next, expired }: { next: string; expired: boolean }) {
  const router = useRouter();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await apiFetch("/api/v1/auth/session", { method: "POST", json: { username, password } });
      router.replace(next);
      router.refresh();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not reach the server; try again");
      setPending(false);
    }
  }

  return (
    <form className="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">
        Pnakotic <span className="muted">admin console</span>
      </h1>
      {expired ? (
        <p className="notice" role="status">
          Your session has ended. Sign in again to continue.
        </p>
      ) : null}
      <label className="field">
        Username
        <input name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required autoFocus />
      </label>
      <label className="field">
        Password
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button primary" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
