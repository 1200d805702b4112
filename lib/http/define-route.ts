import { performance } from "node:perf_hooks";
import type { z } from "zod";
import { authenticate, SESSION_COOKIE } from "../auth/authenticate.ts";
import type { Caller } from "../auth/caller.ts";
import { forbiddenMessage } from "../auth/forbidden-message.ts";
import type { RouteSpec } from "../api/routes.ts";
import { AppError } from "../errors/app-error.ts";
import { parseInput } from "../validation/parse-input.ts";
import type { WriteOptions } from "../persistence/persistence-context.ts";
import { getAppContext } from "../runtime/app-context.ts";
import type { AppContext } from "../runtime/app-context.ts";
import { serverOrigin, trustedProxyList } from "./client-address.ts";
import { withIdempotency } from "./idempotency.ts";
import { parseIfMatch } from "./if-match.ts";
import { problemResponse } from "./problem.ts";
import { parseQuery } from "./query-params.ts";
import { readJsonBody } from "./read-json-body.ts";
import { requestIdFrom } from "./request-id.ts";

type Infer<T> = T extends z.ZodType ? z.infer<T> : Record<string, never>;

export interface RouteInput<S extends RouteSpec> {
  request: Request;
  requestId: string;
  app: AppContext;
  /** null only on public routes. */
  caller: S["access"] extends "public" ? Caller | null : Caller;
  params: Infer<S["params"]>;
  query: Infer<S["query"]>;
  body: Infer<S["body"]>;
  ifMatch: number | undefined;
  /** Actor and request id for persistence calls. */
  write: WriteOptions;
}

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

/**
 * The route wrapper. Every handler runs the same steps in the same order: request id →
 * authenticate → authorize (role, same-origin for cookie mutations) → parse params/query/body/
 * If-Match with the spec's zod schemas → handler (under Idempotency-Key when the spec says so) →
 * problem+json for any error. Handlers stay a few lines and hold no rules.
 */
export function defineRoute<S extends RouteSpec>(spec: S, handler: (input: RouteInput<S>) => Promise<Response>) {
  return async (request: Request, context: NextRouteContext): Promise<Response> => {
    const started = performance.now();
    const requestId = requestIdFrom(request.headers);
    const app = getAppContext();
    let response: Response;
    try {
      const caller = await authorize(spec, request, app);
      const params = spec.params ? parseInput(spec.params, await context.params, "path") : {};
      const query = spec.query ? parseQuery(spec.query, new URL(request.url)) : {};
      // If-Match before the body: a save without it is 428 whatever the body holds.
      const ifMatch = spec.ifMatch ? parseIfMatch(request.headers, spec.ifMatch === "required") : undefined;
      const { value: rawBody, text: bodyText } = spec.body ? await readJsonBody(request, spec.maxBodyBytes) : { value: {}, text: "" };
      const body = spec.body ? parseInput(spec.body, rawBody, "body") : {};
      const input = {
        request,
        requestId,
        app,
        caller,
        params,
        query,
        body,
        ifMatch,
        // Staff roles are staff whether they signed in or use a token: their writes are audited either way.
        write: {
          actor: { name: caller?.name ?? "anonymous", kind: caller && caller.role !== "service" ? "staff" : "service", testPlayersOnly: caller?.scope === "test-players" },
          requestId,
        },
      } as RouteInput<S>;
      const key = request.headers.get("idempotency-key");
      response =
        spec.idempotent && key !== null && caller
          ? await withIdempotency(
              app.persistence.db,
              {
                actor: `${caller.via}:${caller.id}`,
                key,
                method: spec.method,
                path: new URL(request.url).pathname,
                bodyText,
                requestId,
                ttlHours: app.config.IDEMPOTENCY_TTL_HOURS,
                leaseMs: app.config.IDEMPOTENCY_LEASE_MS,
                logger: app.persistence.logger,
              },
              () => handler(input),
            )
          : await handler(input);
      response.headers.set("X-Request-Id", requestId);
    } catch (error) {
      response = problemResponse(error, requestId, app.persistence.logger, spec.path);
    }
    app.prometheus.httpDuration.observe(
      { method: spec.method, route: spec.path, status: String(response.status) },
      (performance.now() - started) / 1000,
    );
    return response;
  };
}

async function authorize(spec: RouteSpec, request: Request, app: AppContext): Promise<Caller | null> {
  const mutation = spec.method !== "GET";
  if (spec.access === "public") {
    if (mutation) assertSameOrigin(request, false, app);
    return null;
  }
  const authentication = await authenticate(app.persistence.db, request.headers, readCookie(request.headers, SESSION_COOKIE), app.config.AUTH_CACHE_TTL_MS);
  if (spec.access === "metrics") {
    // Prometheus scrapers authenticate with METRICS_SCRAPE_TOKEN, checked before tokens in the DB.
    const scrapeToken = app.config.METRICS_SCRAPE_TOKEN;
    if (scrapeToken && request.headers.get("authorization") === `Bearer ${scrapeToken}`) return null;
  }
  if (authentication.status === "anonymous") throw new AppError("unauthenticated", "Sign in, or send Authorization: Bearer <token>");
  if (authentication.status === "invalid") throw new AppError("unauthenticated", `Not authenticated: ${authentication.reason}`);
  const { caller } = authentication;
  const allowed =
    spec.access === "signed-in" ? caller.via === "session" : spec.access === "metrics"
        ? caller.role === "admin"
        : spec.access.roles.includes(caller.role) || (!!caller.scope && (spec.access.scopes ?? []).includes(caller.scope));
  if (!allowed) throw new AppError("forbidden", forbiddenMessage(caller.role, caller.via, spec));
  if (mutation && caller.via === "session") assertSameOrigin(request, true, app);
  return caller;
}

/**
 * CSRF defence for cookie-authenticated mutations: the browser's Origin (scheme, host and port)
 * must be this server's origin. X-Forwarded-Host/-Proto count only from a trusted proxy
 * (lib/http/client-address.ts). Bearer-token calls are exempt (browsers never attach those on
 * their own).
 */
function assertSameOrigin(request: Request, required: boolean, app: AppContext): void {
  const origin = request.headers.get("origin");
  if (origin === null) {
    if (required) throw new AppError("forbidden", "Cross-site request refused: missing Origin header");
    return;
  }
  let originValue: string;
  try {
    originValue = new URL(origin).origin;
  } catch {
    throw new AppError("forbidden", "Cross-site request refused: malformed Origin header");
  }
  const expected = serverOrigin(request.headers, trustedProxyList(app.config.TRUSTED_PROXIES));
  if (!expected || originValue !== expected) throw new AppError("forbidden", "Cross-site request refused: Origin does not match this server");
}

export function readCookie(headers: Headers, name: string): string | undefined {
  const cookie = headers.get("cookie");
  if (!cookie) return undefined;
  for (const part of cookie.split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      const value = part.slice(separator + 1).trim();
      // Our cookie values are base64url; a value that is not valid percent-encoding cannot be one.
      return /%(?![0-9a-fA-F]{2})/.test(value) ? undefined : decodeURIComponent(value);
    }
  }
  return undefined;
}
