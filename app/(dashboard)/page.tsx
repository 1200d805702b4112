import type { Metadata } from "next";
import { getAppContext } from "@/lib/runtime/app-context";
import { overviewSummary } from "@/lib/metrics/overview-summary";
import { OverviewDashboard } from "./_components/overview-dashboard";

export const metadata: Metadata = { title: "Overview · Pnakotic" };

/**
 * The tiles' figures come with the page (the same summary GET /api/v1/overview answers; the
 * dashboard layout has already required a signed-in staff member, the route's own rule), so the
 * first data a visitor reads does not wait for the charts' JavaScript; live updates refetch them.
 */
export default async function OverviewPage() {
  const initialOverview = await overviewSummary(getAppContext().persistence);
  return <OverviewDashboard initialOverview={initialOverview} />;
}
