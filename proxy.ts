import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";

/**
 * Runs before routing. Next.js answers a path with invalid percent-encoding (e.g. /%ED%A0%80)
 * with a bare 500 while decoding route params; for the API that is a caller mistake, so answer
 * 400 problem+json here instead.
 */
export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  try {
    for (const segment of path.split("/")) decodeURIComponent(segment);
  } catch {
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
  return NextResponse.next();
}

export const config = { matcher: "/api/:path*" };
