import { z } from "zod";
import { statKeySchema } from "../stats/stat-definition.ts";

/**
 * The mapping file of `npm run admin -- import`: which source field becomes which Pnakotic field.
 * Source fields are dotted paths into one source record (`stats.current_health`, `experience_points`,
 * `attributes.health.base`); targets are a player column, a declared stat (`stats.<key>`), an
 * attribute (`attributes.<key>`), or `ignore`.
 */
const columnTargets = ["health", "maxHealth", "experience", "currentRoomId", "professionId", "inventory", "statusEffects", "ignore"] as const;
export type ColumnTarget = (typeof columnTargets)[number];

const targetSchema = z.union([
  z.enum(columnTargets),
  z.templateLiteral(["stats.", z.string()]).refine((target) => statKeySchema.safeParse(target.slice("stats.".length)).success, "a stats.<key> target needs a valid stat key"),
  z.templateLiteral(["attributes.", z.string().min(1).max(64)]),
]);
export type ImportTarget = z.infer<typeof targetSchema>;

export const importMappingSchema = z.strictObject({
  /** Names the source: ids are unique within it, and re-runs with the same label skip what is in. */
  source: z.string().trim().min(1).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/, "source is lower-case letters, digits, '.', '_' or '-'"),
  fields: z.record(z.string().min(1).max(200), targetSchema).refine((fields) => Object.keys(fields).length <= 500, "at most 500 fields"),
  /**
   * What to do with a source stat (`stats.*` of the seed, `attributes.*` of Ranvier) the mapping
   * does not name: keep it as an attribute (default), drop it, or refuse the player.
   */
  unmapped: z.enum(["attributes", "ignore", "refuse"]).default("attributes"),
});
export type ImportMapping = z.infer<typeof importMappingSchema>;

/**
 * The seed's Appendix C `players` table. Experience is taken from `stats.experience_points`, the
 * field the seed's code updated (its `experience_points` column is ignored by default; map it
 * instead if your game kept that one current).
 */
export const appendixCDefaultMapping: ImportMapping = {
  source: "mythosmud",
  fields: {
    "stats.current_health": "health",
    "stats.max_health": "maxHealth",
    "stats.experience_points": "experience",
    experience_points: "ignore",
    current_room_id: "currentRoomId",
    profession_id: "professionId",
    inventory: "inventory",
    status_effects: "statusEffects",
    level: "ignore",
  },
  unmapped: "attributes",
};

/**
 * Ranvier's `data/player/<name>.json`. An attribute is `{ base, delta }`: the current value is
 * base + delta (delta ≤ 0 is damage taken), the maximum is base.
 */
export const ranvierDefaultMapping: ImportMapping = {
  source: "ranvier",
  fields: {
    "attributes.health": "health",
    "attributes.health.base": "maxHealth",
    experience: "experience",
    room: "currentRoomId",
    level: "ignore",
  },
  unmapped: "attributes",
};
