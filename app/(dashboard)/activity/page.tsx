import type { Metadata } from "next";
import { ActivityFeed } from "./_components/activity-feed";

export const metadata: Metadata = { title: "Activity · Pnakotic" };

export default function ActivityPage() {
  return <ActivityFeed />;
}
