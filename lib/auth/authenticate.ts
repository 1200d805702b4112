import { logger } from "../logging/logger.ts";
import type { PrismaClient } from "../persistence/prisma-client.ts";
import type { Caller } from "./caller.ts";
import { roles } from "./roles.ts";
import type { Role } from "./roles.ts";
import { hashToken } from "./secrets.ts";
import { asTokenScope } from "./token-scope.ts";

export const SESSION_COOKIE = "pnakotic_session";

export type Authentication =
  | { status: "anonymous" }
  | { status: "invalid"; reason: string }
  | { status: "ok"; caller: Caller };

/**
 * Successful credential lookups are remembered for a short time (AUTH_CACHE_TTL_MS, default 2 s):
 * without it every API call pays a database read before doing any work. The cost: a token revoked
 * or a user disabled *from another process* (the admin CLI, another instance) keeps working for at
 * most that long. Sign-out in this process forgets the session at once. Failures are never cached.
 */
const remembered = new Map<string, { caller: Caller; until: number }>();
const REMEMBERED_MAX = 10_000;

function recall(key: string): Caller | undefined {
  const entry = remembered.get(key);
  if (!entry) return undefined;
  if (entry.until <= Date.now()) {
    remembered.delete(key);
    return undefined;
  }
  return entry.caller;
}

function remember(key: string, caller: Caller, until: number): void {
  if (remembered.size >= REMEMBERED_MAX) remembered.delete(remembered.keys().next().value as string);
  remembered.set(key, { caller, until });
}

/** Drops a remembered session at once (sign-out). */
export function forgetSession(cookieValue: string): void {
  remembered.delete(`s:${hashToken(cookieValue)}`);
}

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
export async function authenticate(db: PrismaClient, headers: Headers, cookieValue: string | undefined, cacheTtlMs = 0): Promise<Authentication> {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,200})$/.exec(authorization.trim());
    if (!match) return { status: "invalid", reason: "Authorization must be 'Bearer <token>'" };
    const tokenHash = hashToken(match[1]!);
    const known = cacheTtlMs > 0 ? recall(`t:${tokenHash}`) : undefined;
    if (known) return { status: "ok", caller: known };
    const token = await db.apiToken.findUnique({
      where: { tokenHash },
      select: { id: true, name: true, role: true, revokedAt: true, scope: true },
    });
    if (!token || token.revokedAt) return { status: "invalid", reason: "unknown or revoked token" };
    const now = Date.now();
    if (now - (lastUsedWritten.get(token.id) ?? 0) > LAST_USED_RESOLUTION_MS) {
      lastUsedWritten.set(token.id, now);
      // Bookkeeping only: a database that cannot take writes (full disk, read-only file) must not turn
      // every authenticated read into an error. The failure is logged; the request goes on.
      await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date(now) }, select: { id: true } }).catch((error: unknown) => {
        logger.warn({ module: "auth", tokenName: token.name, err: error }, "could not record the token's last use; the request goes on");
      });
    }
    const caller: Caller = { via: "token", id: token.id, name: token.name, role: asRole(token.role), scope: asTokenScope(token.scope) };
    if (cacheTtlMs > 0) remember(`t:${tokenHash}`, caller, now + cacheTtlMs);
    return { status: "ok", caller };
  }
  if (cookieValue) {
    const sessionHash = hashToken(cookieValue);
    const known = cacheTtlMs > 0 ? recall(`s:${sessionHash}`) : undefined;
    if (known) return { status: "ok", caller: known };
    const session = await db.session.findUnique({
      where: { tokenHash: sessionHash },
      select: { expiresAt: true, user: { select: { id: true, username: true, role: true, disabledAt: true } } },
    });
    if (!session || session.expiresAt.getTime() <= Date.now() || session.user.disabledAt) {
      return { status: "invalid", reason: "session expired or signed out" };
    }
    const caller: Caller = { via: "session", id: session.user.id, name: session.user.username, role: asRole(session.user.role) };
    if (cacheTtlMs > 0) remember(`s:${sessionHash}`, caller, Math.min(Date.now() + cacheTtlMs, session.expiresAt.getTime()));
    return { status: "ok", caller };
  }
  return { status: "anonymous" };
}
