import type { Role } from "./roles.ts";
import type { TokenScope } from "./token-scope.ts";

/** Who is calling, as established by a session cookie or a bearer token. */
export interface Caller {
  via: "session" | "token";
  /** Username or token name; becomes the ledger's actor. */
  name: string;
  role: Role;
  /** Staff user id (sessions) or token id. */
  id: string;
  /** Tokens only (lib/auth/token-scope.ts); sessions are never scoped. */
  scope?: TokenScope | null;
}

export function isStaff(caller: Caller): boolean {
  return caller.via === "session";
}
