import type { Access } from "../api/routes.ts";
import type { Role } from "./roles.ts";

const roleNames: Record<Role, string> = { viewer: "viewer (game master)", support: "support", admin: "admin", service: "service" };

function listRoles(roles: readonly Role[]): string {
  const names = roles.map((role) => roleNames[role]);
  if (names.length <= 1) return `the ${names[0] ?? "no"} role`;
  return `the ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} roles`;
}

/**
 * The 403 detail as a sentence a person can act on. It names the route by method and path, not by
 * its OpenAPI summary: summaries are fragments ("health − amount, clamped at the floor") and made a
 * sentence like "The viewer role may not health − amount …" when pasted after "may not".
 */
export function forbiddenMessage(role: Role, via: "session" | "token", route: { method: string; path: string; access: Access }): string {
  const what = `${route.method} ${route.path}`;
  if (route.access === "signed-in") return `${what} is for staff signed in with a password; ${via === "token" ? "an API token" : "this session"} cannot use it.`;
  if (route.access === "metrics") return `${what} is open to the admin role and the metrics scrape token only; the ${roleNames[role]} role may not read it.`;
  if (route.access === "public") return `${what} is public.`;
  const scopes = route.access.scopes ?? [];
  const scoped = scopes.length > 0 ? ` and to tokens with scope ${scopes.join(", ")}` : "";
  return `The ${roleNames[role]} role may not call ${what}; it is open to ${listRoles(route.access.roles)}${scoped}.`;
}
