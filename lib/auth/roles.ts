/**
 * viewer: game master, read-only. support: corrections and respawns. admin: everything, incl.
 * users, tokens and cache flushes. service: game servers (combat writes) — tokens only.
 */
export const roles = ["viewer", "support", "admin", "service"] as const;
export type Role = (typeof roles)[number];
export const staffRoles = ["viewer", "support", "admin"] as const;
export type StaffRole = (typeof staffRoles)[number];

/** Roles allowed to read everything a viewer can read. */
export const readerRoles: readonly Role[] = ["viewer", "support", "admin", "service"];
