import { npcPresets } from "./npc-presets.ts";
import type { NpcStats } from "./npc-presets.ts";

/** The presets with their keys, in the order the combat lab shows them. */
export function listNpcPresets(): Array<NpcStats & { key: string }> {
  return Object.entries(npcPresets).map(([key, npc]) => ({ key, ...npc }));
}
