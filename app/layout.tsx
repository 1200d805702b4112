import type { Metadata } from "next";
import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { parseTheme, THEME_COOKIE } from "@/lib/dashboard/theme";
import "./globals.css";

// Every page renders per request: the Content-Security-Policy nonce (proxy.ts) is per request,
// and a statically rendered page could not carry it on its scripts.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Pnakotic",
  description: "Player-state integrity service and admin console",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme toggle's cookie, rendered here so the first paint has the chosen colours.
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body>{children}</body>
    </html>
  );
}
