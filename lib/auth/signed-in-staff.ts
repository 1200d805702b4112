import type { PrismaClient } from "../persistence/prisma-client.ts";
import { authenticate } from "./authenticate.ts";
import type { Caller } from "./caller.ts";

/** The staff member behind a session cookie value, or null (no cookie, expired, signed out, disabled). */
export async function signedInStaff(db: PrismaClient, cookieValue: string | undefined, cacheTtlMs: number): Promise<Caller | null> {
  if (!cookieValue) return null;
  const authentication = await authenticate(db, new Headers(), cookieValue, cacheTtlMs);
  return authentication.status === "ok" && authentication.caller.via === "session" ? authentication.caller : null;
}
