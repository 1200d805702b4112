import type { Metadata } from "next";
import { IntegrityReportView } from "./_components/integrity-report";

export const metadata: Metadata = { title: "Integrity · Pnakotic" };

export default function IntegrityPage() {
  return <IntegrityReportView />;
}
