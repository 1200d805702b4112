/**
 * Every action a staff or operator write records in AuditEntry. The audit query accepts only these,
 * and the console's action filter lists them, so a new action appears in both once it is added here
 * (tests/integration/audit-actions.test.ts fails when a recorded action is missing). No imports:
 * the console bundles this file.
 */
export const auditActions = [
  "player.health_correction",
  "player.stat_correction",
  "player.respawn",
  "player.restore",
  "player.revert",
  "player.save",
  "player.cache_flush",
  "stats.declare",
  "stats.redeclare",
  "ledger.prune",
] as const;
export type AuditAction = (typeof auditActions)[number];
