/**
 * The game's health rules. Health never exceeds maxHealth; 0 down to floor+1 is "mortally wounded";
 * at the floor (default −10, HEALTH_FLOOR) the player is dead. Status is always derived, never stored.
 */
export const playerStatuses = ["alive", "mortally_wounded", "dead"] as const;
export type PlayerStatus = (typeof playerStatuses)[number];

export function statusForHealth(health: number, floor: number): PlayerStatus {
  if (health <= floor) return "dead";
  if (health <= 0) return "mortally_wounded";
  return "alive";
}

/**
 * The same rule as a health range per status, for database filters and counts, so a query can never
 * disagree with statusForHealth (tests/unit/health-rules.test.ts checks them against each other).
 */
export function healthRangeForStatus(status: PlayerStatus, floor: number): { gt?: number; lte?: number } {
  switch (status) {
    case "dead":
      return { lte: floor };
    case "mortally_wounded":
      return { gt: floor, lte: 0 };
    case "alive":
      return { gt: 0 };
  }
}

/** Largest amount a single damage/heal/experience/correction call may carry. */
export const MAX_AMOUNT = 1_000_000;
/** Experience is capped so the integer column can never overflow. */
export const MAX_EXPERIENCE = 2_000_000_000;
