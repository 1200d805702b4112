import type { PrismaClient } from "../persistence/prisma-client.ts";
import type { Caller } from "./caller.ts";
import { roles } from "./roles.ts";
import type { Role } from "./roles.ts";
import { hashToken } from "./secrets.ts";

export const SESSION_COOKIE = "pnakotic_session";

export type Authentication =
  | { status: "anonymous" }
  | { status: "invalid"; reason: string }
  | { status: "ok"; caller: Caller };

/** lastUsedAt is informational; writing it on every request would double the cost of each call. */
const LAST_USED_RESOLUTION_MS = 60_000;
const lastUsedWritten = new Map<string, number>();

function asRole(value: string): Role {
  if ((roles as readonly string[]).includes(value)) return value as Role;
  throw new Error(`stored role "${value}" is not a known role`);
}

/**
 * Resolves the caller from `Authorization: Bearer <token>` or the session cookie. A bearer token
 * wins when both are present. Unknown, revoked and expired credentials are "invalid" (401).
 */
export async function authenticate(db: PrismaClient, headers: Headers, cookieValue: string | undefined): Promise<Authentication> {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,200})$/.exec(authorization.trim());
    if (!match) return { status: "invalid", reason: "Authorization must be 'Bearer <token>'" };
    const token = await db.apiToken.findUnique({
      where: { tokenHash: hashToken(match[1]!) },
      select: { id: true, name: true, role: true, revokedAt: true },
    });
    if (!token || token.revokedAt) return { status: "invalid", reason: "unknown or revoked token" };
    const now = Date.now();
    if (now - (lastUsedWritten.get(token.id) ?? 0) > LAST_USED_RESOLUTION_MS) {
      lastUsedWritten.set(token.id, now);
      await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date(now) }, select: { id: true } });
    }
    return { status: "ok", caller: { via: "token", id: token.id, name: token.name, role: asRole(token.role) } };
  }
  if (cookieValue) {
    const session = await db.session.findUnique({
      where: { tokenHash: hashToken(cookieValue) },
      select: { expiresAt: true, user: { select: { id: true, username: true, role: true, disabledAt: true } } },
    });
    if (!session || session.expiresAt.getTime() <= Date.now() || session.user.disabledAt) {
      return { status: "invalid", reason: "session expired or signed out" };
    }
    return { status: "ok", caller: { via: "session", id: session.user.id, name: session.user.username, role: asRole(session.user.role) } };
  }
  return { status: "anonymous" };
}
