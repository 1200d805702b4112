"use client";

/** A problem+json error from the API, with its `code` and field `errors`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get fieldErrors(): Array<{ path: string; message: string }> {
    return Array.isArray(this.body.errors) ? (this.body.errors as Array<{ path: string; message: string }>) : [];
  }
}

/**
 * fetch for the dashboard: same-origin JSON, problem+json turned into ApiError, and an expired
 * session sends the user back to sign-in (with a way back) instead of leaving a broken page.
 */
export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  const response = await fetch(path, {
    ...rest,
    headers: { Accept: "application/json", ...(json !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
    credentials: "same-origin",
    cache: "no-store",
  });
  if (response.status === 401 && typeof window !== "undefined" && !path.startsWith("/api/v1/auth/")) {
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`/sign-in?expired=1&next=${next}`);
    throw new ApiError(401, "unauthenticated", "Your session has ended; sign in again", {});
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Not JSON (a proxy's error page, a missing route): say so instead of a parser message.
    throw new ApiError(response.status, "unexpected_response", `Unexpected response from the server (HTTP ${response.status})`, {});
  }
  if (!response.ok) {
    throw new ApiError(response.status, String(body.code ?? "error"), String(body.detail ?? response.statusText), body);
  }
  return body as T;
}

export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
