import type { Metadata } from "next";
import { PlayerDetail } from "./_components/player-detail";

export const metadata: Metadata = { title: "Player · Pnakotic" };

export default async function PlayerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PlayerDetail id={id} />;
}
