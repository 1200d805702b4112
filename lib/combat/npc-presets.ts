/** An NPC a player can fight: fixed attack damage, so the NPC side of every round is predictable. */
export interface NpcStats {
  name: string;
  /** Starting (and maximum) health; the NPC dies at 0. */
  health: number;
  /** Damage dealt to the player on every NPC strike. */
  attackDamage: number;
  /** XP awarded to the player when the NPC dies (0: none, and no ledger row). */
  experienceReward: number;
}

/**
 * The NPCs the combat lab offers. Dr. Francis Morgan is the NPC of the seed scenario (the bug
 * report): 50 HP, 10 damage per hit, 1 XP.
 */
export const npcPresets = {
  "dr-francis-morgan": { name: "Dr. Francis Morgan", health: 50, attackDamage: 10, experienceReward: 1 },
  nightgaunt: { name: "Nightgaunt", health: 30, attackDamage: 6, experienceReward: 15 },
  "deep-one": { name: "Deep One", health: 90, attackDamage: 12, experienceReward: 60 },
  // Kills a 100-HP player long before it falls: the "player death ends the encounter" case.
  shoggoth: { name: "Shoggoth", health: 600, attackDamage: 40, experienceReward: 1_000 },
} as const satisfies Record<string, NpcStats>;

export type NpcPresetKey = keyof typeof npcPresets;

export const npcPresetKeys = Object.keys(npcPresets) as NpcPresetKey[];
