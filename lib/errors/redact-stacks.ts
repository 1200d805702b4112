import type { Role } from "../auth/roles.ts";

/**
 * Stack traces carry file paths and library versions of the server: they are for admins. Other
 * roles get the entry with `stack: null` (the message, module, context and request id stay), so a
 * game master still sees what failed, and the rule holds for every client, not only the dashboard.
 */
export function redactStacks<T extends { stack: string | null }>(role: Role, entries: T[]): T[] {
  if (role === "admin") return entries;
  return entries.map((entry) => (entry.stack === null ? entry : { ...entry, stack: null }));
}
