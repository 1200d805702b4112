import { z } from "zod";
import { gameRulesSchema } from "./game-rules.ts";
import { statDeclarationListSchema } from "./stat-definition.ts";

/**
 * A whole stats file for `stats apply`: `{ "stats": [ … ], "rules": { … } }`. `rules` (optional) are
 * the game's own rules (lib/stats/game-rules.ts); a file without it leaves the rules as they are.
 */
export const statsFileSchema = z.strictObject({
  stats: statDeclarationListSchema,
  rules: gameRulesSchema.optional(),
});
