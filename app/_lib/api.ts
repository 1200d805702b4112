"use client";

import createClient from "openapi-fetch";
import type { paths } from "@/clients/typescript/src/schema";
import { ApiError } from "./api-client";

/**
 * The console's typed client: openapi-fetch over the OpenAPI document the route table generates
 * (clients/typescript/src/schema.ts), so a change to a route's query or response breaks the type
 * check here, not the page. Same-origin, no caching; the session cookie goes along by itself.
 */
export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });

/**
 * The data of an openapi-fetch answer, or an ApiError with the problem's code. An expired session
 * sends the user back to sign-in with a way back (as apiFetch does).
 */
export async function unwrap<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await request;
  if (response.status === 401 && typeof window !== "undefined") {
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`/sign-in?expired=1&next=${next}`);
    throw new ApiError(401, "unauthenticated", "Your session has ended; sign in again", {});
  }
  if (!response.ok || data === undefined) {
    const problem = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
    throw new ApiError(response.status, String(problem.code ?? "unexpected_response"), String(problem.detail ?? `Unexpected response from the server (HTTP ${response.status})`), problem);
  }
  return data;
}
