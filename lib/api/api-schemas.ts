import { z } from "zod";
import { amountSchema, createPlayerSchema, healthCorrectionSchema, playerIdSchema, reasonSchema, savePlayerSchema } from "../persistence/player-inputs.ts";
import { listPlayersSchema } from "../persistence/list-players.ts";
import { listPlayerEventsSchema } from "../persistence/list-player-events.ts";
import { ledgerFields, ledgerReasons } from "../persistence/player-record.ts";
import { playerStatuses } from "../players/health-rules.ts";
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
    level: z.enum(["error", "fatal"]).optional(),
    module: z.string().trim().min(1).max(100).optional(),
  })
  .refine((query) => !query.since || !query.until || query.since < query.until, { message: "since must be before until", path: ["since"] });

export const integrityQuery = z.strictObject({ playerId: playerIdSchema.optional() });
