import type { Metadata } from "next";
import { OverviewDashboard } from "./_components/overview-dashboard";

export const metadata: Metadata = { title: "Overview · Pnakotic" };

export default function OverviewPage() {
  return <OverviewDashboard />;
}
