"use client";

import { createContext, useContext } from "react";
import type { Role } from "@/lib/auth/roles";

export interface SessionUser {
  username: string;
  role: Role;
}

export const SessionContext = createContext<{ user: SessionUser; healthFloor: number } | null>(null);

export function useSession() {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the dashboard shell");
  const { role } = session.user;
  return {
    ...session,
    /** Corrections and respawns (the server checks again on every request). */
    canSupport: role === "support" || role === "admin",
    isAdmin: role === "admin",
  };
}
