import { routes } from "@/lib/api/routes";
import { SESSION_COOKIE } from "@/lib/auth/authenticate";
import { sessionCookie, clearedSessionCookie } from "@/lib/auth/session-cookie";
import { signIn, signOut } from "@/lib/auth/sessions";
import { clientAddress, trustedProxyList } from "@/lib/http/client-address";
import { defineRoute, readCookie } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";

export const POST = defineRoute(routes.signIn, async ({ app, body, request }) => {
  const address = clientAddress(request.headers, trustedProxyList(app.config.TRUSTED_PROXIES));
  const session = await signIn(app.persistence.db, app.persistence.logger, { ...body, clientAddress: address, ttlHours: app.config.SESSION_TTL_HOURS });
  return jsonResponse({ user: session.user, expiresAt: session.expiresAt }, 200, { "Set-Cookie": sessionCookie(session.cookieValue, session.expiresAt) });
});

export const GET = defineRoute(routes.currentSession, async ({ caller }) => jsonResponse({ user: { id: caller.id, username: caller.name, role: caller.role } }));

export const DELETE = defineRoute(routes.signOut, async ({ app, request }) => {
  const cookieValue = readCookie(request.headers, SESSION_COOKIE);
  if (cookieValue) await signOut(app.persistence.db, cookieValue);
  return new Response(null, { status: 204, headers: { "Set-Cookie": clearedSessionCookie() } });
});
