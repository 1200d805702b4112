import type { Metadata } from "next";
import { PlayersTable } from "./_components/players-table";

export const metadata: Metadata = { title: "Players · Pnakotic" };

export default function PlayersPage() {
  return <PlayersTable />;
}
