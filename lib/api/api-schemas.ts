import { z } from "zod";
import { amountSchema, createPlayerSchema, healthCorrectionSchema, playerIdSchema, reasonSchema, savePlayerSchema } from "../persistence/player-inputs.ts";
import { listPlayersSchema } from "../persistence/list-players.ts";
import { listPlayerEventsSchema } from "../persistence/list-player-events.ts";
import { ledgerFields, ledgerReasons } from "../persistence/player-record.ts";
import { playerStatuses } from "../players/health-rules.ts";
import { anomalyKinds } from "../integrity/find-anomalies.ts";
import { createEncounterSchema, encounterIdSchema, encounterModes, roundCountSchema } from "../combat/encounter-inputs.ts";

/*
 * The HTTP contract's schemas: request schemas reuse the persistence layer's, response schemas
 * exist for the OpenAPI document (lib/api/openapi.ts) and for clients.
 */

export const playerIdParams = z.strictObject({ id: playerIdSchema });

export const damageBody = z.strictObject({
  amount: amountSchema,
  damageType: z.string().trim().min(1).max(50).optional(),
  source: z.string().trim().min(1).max(100).optional(),
});
export const amountBody = z.strictObject({ amount: amountSchema, source: z.string().trim().min(1).max(100).optional() });
export const respawnBody = z.strictObject({ reason: reasonSchema.optional() });
export const createPlayerBody = createPlayerSchema;
export const savePlayerBody = savePlayerSchema;
export const healthCorrectionBody = healthCorrectionSchema;
export const signInBody = z.strictObject({
  username: z.string().min(1, "username is required").max(64),
  password: z.string().min(1, "password is required").max(200),
});

export const listPlayersQuery = listPlayersSchema;
export const listPlayerEventsQuery = listPlayerEventsSchema;

export const cacheStatsQuery = z
  .strictObject({
    since: z.coerce.date({ error: "since must be an ISO date-time" }).optional(),
    until: z.coerce.date({ error: "until must be an ISO date-time" }).optional(),
    /** Bucket width in seconds; chosen from the range when omitted (≈ 120 buckets). */
    step: z.coerce.number().int().min(10).max(86_400).optional(),
  })
  .refine((query) => !query.since || !query.until || query.since < query.until, { message: "since must be before until", path: ["since"] });

export const errorLogQuery = z.strictObject({
  level: z.enum(["error", "fatal"]).optional(),
  module: z.string().trim().min(1).max(100).optional(),
  since: z.coerce.date({ error: "since must be an ISO date-time" }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.coerce.number().int().min(0).optional(),
});

export const auditQuery = z.strictObject({
  actor: z.string().trim().min(1).max(64).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  playerId: playerIdSchema.optional(),
  since: z.coerce.date({ error: "since must be an ISO date-time" }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.coerce.number().int().min(0).optional(),
});

const isoDate = z.string().describe("ISO 8601 date-time");
const jsonObject = z.record(z.string(), z.unknown());

export const playerSchema = z.object({
  id: z.string(),
  name: z.string(),
  currentRoomId: z.string().nullable(),
  professionId: z.string().nullable(),
  level: z.number().int(),
  experiencePoints: z.number().int(),
  health: z.number().int(),
  maxHealth: z.number().int(),
  status: z.enum(playerStatuses),
  attributes: jsonObject,
  inventory: z.array(z.unknown()),
  statusEffects: z.array(z.unknown()),
  version: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
  lastActiveAt: isoDate,
});

export const playerEventSchema = z.object({
  id: z.number().int(),
  playerId: z.string(),
  at: isoDate,
  field: z.enum(ledgerFields),
  delta: z.number().int(),
  before: z.number().int(),
  after: z.number().int(),
  reason: z.enum(ledgerReasons),
  detail: jsonObject.nullable(),
  actor: z.string(),
  requestId: z.string().nullable(),
  changeId: z.string(),
  playerVersion: z.number().int(),
});

export const mutationResultSchema = z.object({ player: playerSchema, event: playerEventSchema, events: z.array(playerEventSchema) });
export const playerPageSchema = z.object({ items: z.array(playerSchema), nextCursor: z.string().nullable(), total: z.number().int() });
export const playerEventPageSchema = z.object({ items: z.array(playerEventSchema), nextCursor: z.string().nullable() });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  requestId: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

// Combat simulator (lib/combat).
export const encounterIdParams = z.strictObject({ id: encounterIdSchema });
export const createEncounterBody = createEncounterSchema;
export const advanceRoundsBody = z.strictObject({ rounds: roundCountSchema.default(1) });

const npcStatsSchema = z.object({ name: z.string(), health: z.number().int(), attackDamage: z.number().int(), experienceReward: z.number().int() });
export const npcPresetListSchema = z.object({ items: z.array(npcStatsSchema.extend({ key: z.string() })) });

const encounterSummarySchema = z.object({
  id: z.string(),
  mode: z.enum(encounterModes),
  status: z.enum(["running", "finished", "failed"]),
  outcome: z.enum(["npc_defeated", "player_dead", "round_limit"]).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  seed: z.number().int(),
  roundIntervalMs: z.number().int().nullable(),
  playerDamage: z.object({ min: z.number().int(), max: z.number().int() }),
  roundsPlayed: z.number().int(),
  player: z.object({
    id: z.string(),
    name: z.string(),
    connected: z.boolean(),
    disconnectedAfterRound: z.number().int().nullable(),
    health: z.number().int(),
    maxHealth: z.number().int(),
    status: z.enum(playerStatuses),
    experiencePoints: z.number().int(),
    level: z.number().int(),
    version: z.number().int(),
  }),
  npc: npcStatsSchema.extend({ key: z.string().nullable(), maxHealth: z.number().int() }),
  createdBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  finishedAt: isoDate.nullable(),
});
export const roundLogEntrySchema = z.object({
  round: z.number().int(),
  at: isoDate,
  playerConnected: z.boolean(),
  playerHit: z.number().int().nullable(),
  npcHealthAfter: z.number().int(),
  npcHit: z.number().int().nullable(),
  experienceGained: z.number().int().nullable(),
  playerHealthAfter: z.number().int(),
  playerStatusAfter: z.enum(playerStatuses),
  eventIds: z.array(z.number().int()).describe("PlayerEvent ids this round wrote"),
  summary: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export const encounterSchema = encounterSummarySchema.extend({ rounds: z.array(roundLogEntrySchema) });
export const encounterListSchema = z.object({ items: z.array(encounterSummarySchema) });

export const errorHistogramQuery = z
  .strictObject({
    since: z.coerce.date({ error: "since must be an ISO date-time" }).optional(),
    until: z.coerce.date({ error: "until must be an ISO date-time" }).optional(),
    /** Bucket width in seconds (whole minutes); chosen from the range when omitted (≈ 120 buckets). */
    step: z.coerce
      .number()
      .int()
      .min(60)
      .max(86_400)
      .refine((step) => step % 60 === 0, { message: "step must be a whole number of minutes (in seconds)" })
      .optional(),
    level: z.enum(["error", "fatal"]).optional(),
    module: z.string().trim().min(1).max(100).optional(),
  })
  .refine((query) => !query.since || !query.until || query.since < query.until, { message: "since must be before until", path: ["since"] });

export const integrityQuery = z.strictObject({ playerId: playerIdSchema.optional() });

const timeRangeSchema = z.object({ since: isoDate, until: isoDate, stepSeconds: z.number().int() });
export const errorHistogramSchema = z.object({
  range: timeRangeSchema,
  buckets: z.array(z.object({ at: isoDate.describe("bucket start"), error: z.number().int(), fatal: z.number().int() })),
});

export const overviewSchema = z.object({
  playersTotal: z.number().int(),
  playersOnline: z.number().int().describe("lastActiveAt within the last 5 minutes"),
  playersDead: z.number().int().describe("health at or below the floor"),
  playersMortallyWounded: z.number().int().describe("health from 0 down to floor + 1"),
  errorsLastHour: z.number().int(),
  staleSavesRefusedLastHour: z.number().int().describe("all instances, from the stored metric samples"),
  invalidationsLastHour: z.object({ write: z.number().int(), ttl: z.number().int(), event: z.number().int(), manual: z.number().int(), total: z.number().int() }),
  cacheHitRate: z.number().min(0).max(1).nullable().describe("0–1 over the last cacheHitRateWindowSeconds, all instances; null without cache reads"),
  cacheHitRateWindowSeconds: z.number().int(),
  healthFloor: z.number().int(),
});

export const integrityFindingSchema = z.object({
  id: z.string(),
  kind: z.enum(anomalyKinds),
  severity: z.enum(["error", "warning"]),
  playerId: z.string(),
  playerName: z.string(),
  message: z.string(),
  eventIds: z.array(z.number().int()).describe("PlayerEvent ids involved"),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).describe("the values the rule detected (shape per kind)"),
});
export const integrityReportSchema = z.object({
  run: z
    .object({
      id: z.string(),
      trigger: z.enum(["manual", "schedule"]),
      actor: z.string(),
      startedAt: isoDate,
      finishedAt: isoDate,
      durationMs: z.number().int(),
      playersScanned: z.number().int(),
      eventsScanned: z.number().int(),
      findingCount: z.number().int().describe("all findings of the run, whatever the playerId filter"),
    })
    .nullable()
    .describe("null until the first check has run"),
  findings: z.array(integrityFindingSchema),
});
