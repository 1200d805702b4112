/**
 * What the server-wide activity feed (GET /api/v1/activity) calls an incident, as pure rules over
 * one ledger row. The same rules build the SQL filter (lib/persistence/list-activity.ts) and label
 * each row, so a row is never listed under a kind it does not satisfy. No imports: the console
 * bundles this file for its filter's options.
 *
 * `save` lists the ledgered saves today; the save-attempts record (refused and merged saves) joins
 * the same kind when it lands, so the overview's stale-saves tile can already link here.
 */
export const activityKinds = ["death", "wounded", "big_hit", "heal_of_dead", "correction", "save", "integrity"] as const;
export type ActivityKind = (typeof activityKinds)[number];

export const activityKindLabels: Record<ActivityKind, string> = {
  death: "deaths",
  wounded: "mortally wounded",
  big_hit: "big hits",
  heal_of_dead: "heals of the dead",
  correction: "corrections, restores and reverts",
  save: "saves",
  integrity: "integrity findings",
};

/** A hit of at least this much health is "big" unless the caller asks for another threshold. */
export const DEFAULT_BIG_HIT = 50;

export interface LedgerFacts {
  field: string;
  reason: string;
  before: number;
  after: number;
  delta: number;
}

/** Every kind one ledger row belongs to (a killing blow is both a death and, if large, a big hit). */
export function ledgerActivityKinds(row: LedgerFacts, rules: { healthFloor: number; bigHit: number }): ActivityKind[] {
  const kinds: ActivityKind[] = [];
  const health = row.field === "health";
  if (health && row.after <= rules.healthFloor && row.before > rules.healthFloor) kinds.push("death");
  if (health && row.after <= 0 && row.after > rules.healthFloor && row.before > 0) kinds.push("wounded");
  if (health && row.delta <= -rules.bigHit) kinds.push("big_hit");
  // The heal route refuses the dead (player_dead), so health rising from the dead by anything but a
  // respawn came around the rules: a save, an external write, an import.
  if (health && row.delta > 0 && row.before <= rules.healthFloor && row.reason !== "respawn") kinds.push("heal_of_dead");
  if (row.reason === "correction" || row.reason === "restore" || row.reason === "revert") kinds.push("correction");
  if (row.reason === "save") kinds.push("save");
  return kinds;
}
