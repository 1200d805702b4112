import type { Metadata } from "next";
import { CombatLab } from "./_components/combat-lab";

export const metadata: Metadata = { title: "Combat lab · Pnakotic" };

export default function CombatLabPage() {
  return <CombatLab />;
}
