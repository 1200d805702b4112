/**
 * Level from experience: reaching level n takes 100·(n−1)² XP (level 2 at 100, 3 at 400, 4 at 900…),
 * capped at MAX_LEVEL. Level is always derived from XP and written in the same transaction.
 */
export const MAX_LEVEL = 100;

export function experienceForLevel(level: number): number {
  return 100 * (level - 1) ** 2;
}

export function levelForExperience(experience: number): number {
  if (experience <= 0) return 1;
  return Math.min(MAX_LEVEL, Math.floor(Math.sqrt(experience / 100)) + 1);
}
