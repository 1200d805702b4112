import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { commonSecurityHeaders, contentSecurityPolicy } from "./lib/http/security-headers";

const production = process.env.NODE_ENV === "production";

/**
 * Runs before routing, for pages and the API:
 *  - every response gets the security headers (nosniff, frame denial, referrer policy…);
 *  - pages get a nonce-based Content-Security-Policy (Next.js reads it from the request headers
 *    and puts the nonce on its own scripts; the root layout renders dynamically for that);
 *  - an API path with invalid percent-encoding (e.g. /%ED%A0%80) gets 400 problem+json: Next.js
 *    would answer a bare 500 while decoding route params.
 */
export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (path.startsWith("/api/")) {
    const response = hasValidEncoding(path) ? NextResponse.next() : badPath();
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
  const requestId = crypto.randomUUID();
  return NextResponse.json(
    {
      type: "urn:pnakotic:problem:bad_request",
      title: "Bad Request",
      status: 400,
      detail: "The URL path is not valid percent-encoded UTF-8",
      code: "bad_request",
      requestId,
    },
    { status: 400, headers: { "Content-Type": "application/problem+json", "X-Request-Id": requestId } },
  );
}

export const config = {
  // Everything but static assets (which carry no script and are cached).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
