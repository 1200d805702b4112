import { SESSION_COOKIE } from "./authenticate.ts";

/** HttpOnly (no script can read it), SameSite=Lax, Secure in production (HTTPS). */
export function sessionCookie(value: string, expiresAt: Date): string {
  const secure = process.env.NODE_ENV === "production" && process.env.PNAKOTIC_INSECURE_COOKIES !== "1" ? "; Secure" : "";
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
