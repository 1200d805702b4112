import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { matchApiRoute } from "./lib/http/api-route-match";
import { commonSecurityHeaders, contentSecurityPolicy } from "./lib/http/security-headers";

const production = process.env.NODE_ENV === "production";

/**
 * Runs before routing, for pages and the API:
 *  - every response gets the security headers (nosniff, frame denial, referrer policy…);
 *  - pages get a nonce-based Content-Security-Policy (Next.js reads it from the request headers
 *    and puts the nonce on its own scripts; the root layout renders dynamically for that);
 *  - an API path with invalid percent-encoding (e.g. /%ED%A0%80) gets 400 problem+json: Next.js
 *    would answer a bare 500 while decoding route params;
 *  - an API path that is not in the route table gets 404 problem+json, and a method the table does
 *    not list for a known path 405 problem+json with Allow (Next.js answers HTML and an empty 405).
 */
export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (path.startsWith("/api/")) {
    const response = hasValidEncoding(path) ? (routeProblem(request.method, path) ?? NextResponse.next()) : badPath();
    for (const [name, value] of Object.entries(commonSecurityHeaders(production))) response.headers.set(name, value);
    return response;
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, !production);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // Lets the dashboard layout send a signed-out user back here after signing in.
  requestHeaders.set("x-pathname", request.nextUrl.pathname + request.nextUrl.search);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(commonSecurityHeaders(production))) response.headers.set(name, value);
  return response;
}

function hasValidEncoding(path: string): boolean {
  try {
    for (const segment of path.split("/")) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

function badPath(): NextResponse {
  return problem(400, "bad_request", "The URL path is not valid percent-encoded UTF-8");
}

function routeProblem(method: string, path: string): NextResponse | null {
  const match = matchApiRoute(method, path);
  if (match.kind === "unknown-path") return problem(404, "not_found", `No API route at ${path}`);
  if (match.kind === "method-not-allowed") {
    return problem(405, "method_not_allowed", `${path} does not accept ${method}; allowed: ${match.allow.join(", ")}`, { Allow: match.allow.join(", ") });
  }
  return null;
}

const titles: Record<number, string> = { 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed" };

/** problem+json without the route wrapper (which needs the app context and the database). */
function problem(status: 400 | 404 | 405, code: string, detail: string, headers: Record<string, string> = {}): NextResponse {
  const requestId = crypto.randomUUID();
  return NextResponse.json(
    { type: `urn:pnakotic:problem:${code}`, title: titles[status], status, detail, code, requestId },
    { status, headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", "X-Request-Id": requestId, ...headers } },
  );
}

export const config = {
  // Everything but static assets (which carry no script and are cached).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
