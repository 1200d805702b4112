"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { apiFetch } from "@/app/_lib/api-client";
import { useRefresh } from "./query-provider";
import { SessionContext } from "./session-context";
import type { SessionUser } from "./session-context";

const navigation = [
  { href: "/", label: "Overview" },
  { href: "/players", label: "Players" },
  { href: "/combat", label: "Combat lab" },
  { href: "/errors", label: "Errors" },
  { href: "/audit", label: "Audit" },
  { href: "/integrity", label: "Integrity" },
];

const intervals = [
  { ms: 5_000, label: "5 s" },
  { ms: 10_000, label: "10 s" },
  { ms: 30_000, label: "30 s" },
  { ms: 60_000, label: "1 min" },
];

function RefreshControl() {
  const { intervalMs, setIntervalMs, paused, setPaused } = useRefresh();
  return (
    <div className="refresh-control" role="group" aria-label="Live updates">
      <span className={`live-dot ${paused ? "paused" : ""}`} aria-hidden="true" />
      <label>
        Refresh every{" "}
        <select value={intervalMs} onChange={(event) => setIntervalMs(Number(event.target.value))} disabled={paused}>
          {intervals.map((interval) => (
            <option key={interval.ms} value={interval.ms}>
              {interval.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button secondary" onClick={() => setPaused(!paused)} aria-pressed={paused}>
        {paused ? "Resume" : "Pause"}
      </button>
    </div>
  );
}

export function DashboardShell({ user, healthFloor, children }: { user: SessionUser; healthFloor: number; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  async function signOut() {
    await apiFetch("/api/v1/auth/session", { method: "DELETE" });
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <SessionContext.Provider value={{ user, healthFloor }}>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            Pnakotic<span>player-state integrity</span>
          </div>
          <ul>
            {navigation.map((item) => {
              const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
              return (
                <li key={item.href}>
                  <Link href={item.href} aria-current={active ? "page" : undefined} className={active ? "active" : undefined}>
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="main">
          <header className="topbar">
            <RefreshControl />
            <div className="user">
              <span>
                {user.username} <span className={`role role-${user.role}`}>{user.role === "viewer" ? "game master" : user.role}</span>
              </span>
              <button type="button" className="button secondary" onClick={signOut}>
                Sign out
              </button>
            </div>
          </header>
          <main className="content">{children}</main>
        </div>
      </div>
    </SessionContext.Provider>
  );
}
