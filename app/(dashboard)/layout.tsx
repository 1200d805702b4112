import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { SESSION_COOKIE } from "@/lib/auth/authenticate";
import { signedInStaff } from "@/lib/auth/signed-in-staff";
import { getAppContext } from "@/lib/runtime/app-context";
import { QueryProvider } from "@/app/_components/query-provider";
import { DashboardShell } from "@/app/_components/dashboard-shell";
import { DISPLAY_ZONE_COOKIE } from "@/lib/dashboard/time-axis";
import { parseTheme, THEME_COOKIE } from "@/lib/dashboard/theme";
import { LiveUpdatesProvider } from "@/app/_components/live-updates";

/** Every dashboard page needs a signed-in staff member; otherwise back to sign-in (with a way back). */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const app = getAppContext();
  const cookieStore = await cookies();
  const staff = await signedInStaff(app.persistence.db, cookieStore.get(SESSION_COOKIE)?.value, app.config.AUTH_CACHE_TTL_MS);
  if (!staff) {
    const path = (await headers()).get("x-pathname") ?? "/";
    redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  }
  return (
    <QueryProvider>
      <LiveUpdatesProvider>
        <DashboardShell user={{ username: staff.name, role: staff.role }} healthFloor={app.config.HEALTH_FLOOR} displayZone={cookieStore.get(DISPLAY_ZONE_COOKIE)?.value === "local" ? "local" : "utc"}
          theme={parseTheme(cookieStore.get(THEME_COOKIE)?.value)}
        >
          {children}
        </DashboardShell>
      </LiveUpdatesProvider>
    </QueryProvider>
  );
}
