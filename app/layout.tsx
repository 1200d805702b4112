import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Every page renders per request: the Content-Security-Policy nonce (proxy.ts) is per request,
// and a statically rendered page could not carry it on its scripts.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Pnakotic",
  description: "Player-state integrity service and admin console",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
