import type { Metadata } from "next";
import { SaveAttemptsList } from "./_components/save-attempts-list";

export const metadata: Metadata = { title: "Saves · Pnakotic" };

export default function SavesPage() {
  return <SaveAttemptsList />;
}
