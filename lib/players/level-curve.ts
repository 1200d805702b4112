/**
 * Level from experience under the default rule: reaching level n takes 100·(n−1)² XP (level 2 at
 * 100, 3 at 400, 4 at 900…), capped at MAX_LEVEL. A game may declare its own curve or own the level
 * outright (lib/stats/game-rules.ts); a derived level is written in the same statement as the XP.
 */
export const MAX_LEVEL = 100;

export function experienceForLevel(level: number): number {
  return 100 * (level - 1) ** 2;
}

export function levelForExperience(experience: number): number {
  if (experience <= 0) return 1;
  return Math.min(MAX_LEVEL, Math.floor(Math.sqrt(experience / 100)) + 1);
}
