import type { Metadata } from "next";
import { ErrorLog } from "./_components/error-log";

export const metadata: Metadata = { title: "Errors · Pnakotic" };

export default function ErrorsPage() {
  return <ErrorLog />;
}
