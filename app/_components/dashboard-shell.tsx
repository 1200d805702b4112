"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import type { Role } from "@/lib/auth/roles";
import type { DisplayZone } from "@/lib/dashboard/time-axis";
import { DisplayZoneProvider, DisplayZoneToggle } from "./display-zone";
import { apiFetch } from "@/app/_lib/api-client";
import { LiveStatus } from "./live-updates";
import { useRefresh } from "./query-provider";
import { SessionContext } from "./session-context";
import type { SessionUser } from "./session-context";

/** Each page and who may open it: a link that leads to a refusal is not shown (the server still checks). */
const navigation: Array<{ href: string; label: string; roles?: readonly Role[] }> = [
  { href: "/", label: "Overview" },
  { href: "/activity", label: "Activity" },
  { href: "/players", label: "Players" },
  { href: "/combat", label: "Combat lab" },
  { href: "/errors", label: "Errors" },
  { href: "/audit", label: "Audit", roles: ["support", "admin"] },
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
      <LiveStatus />
      <label>
        {/* With the live stream up, this interval is only the fallback. */}
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

export function DashboardShell({ user, healthFloor, displayZone, children }: { user: SessionUser; healthFloor: number; displayZone: DisplayZone; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  // On narrow screens the navigation folds behind a Menu button; it closes after each navigation.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [pathname]);
  async function signOut() {
    await apiFetch("/api/v1/auth/session", { method: "DELETE" });
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <SessionContext.Provider value={{ user, healthFloor }}>
      <DisplayZoneProvider initialZone={displayZone}>
      <a className="skip-link" href="#main-content">
        Skip to content
      </a>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand-row">
            <div className="brand">
              Pnakotic<span>player-state integrity</span>
            </div>
            <button type="button" className="button secondary menu-toggle" aria-expanded={menuOpen} aria-controls="main-navigation" onClick={() => setMenuOpen(!menuOpen)}>
              {menuOpen ? "Close menu" : "Menu"}
            </button>
          </div>
          <ul id="main-navigation" className={menuOpen ? "open" : undefined}>
            {navigation.filter((item) => !item.roles || item.roles.includes(user.role)).map((item) => {
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
            <DisplayZoneToggle />
            <div className="user">
              <span>
                {user.username} <span className={`role role-${user.role}`}>{user.role === "viewer" ? "game master" : user.role}</span>
              </span>
              <button type="button" className="button secondary" onClick={signOut}>
                Sign out
              </button>
            </div>
          </header>
          <main className="content" id="main-content" tabIndex={-1}>
            {children}
          </main>
        </div>
      </div>
      </DisplayZoneProvider>
    </SessionContext.Provider>
  );
}
