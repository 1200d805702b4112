import { z } from "zod";
import { listSaveAttemptsSchema, saveOutcomes } from "../persistence/save-attempts.ts";
import { amountSchema, createPlayerSchema, healthCorrectionSchema, playerIdSchema, reasonSchema, savePlayerSchema, statUpdateSchema } from "../player-operations/player-inputs.ts";
import { changeBatchSchema } from "../player-operations/change-inputs.ts";
import { statDeclarationSchema, statKeySchema } from "../stats/stat-definition.ts";
import { gameRulesSchema, levelRuleSchema } from "../stats/game-rules.ts";
import { listPlayersSchema } from "../persistence/list-players.ts";
import { listPlayerEventsSchema } from "../persistence/list-player-events.ts";
import { ledgerReasons } from "../persistence/player-record.ts";
import { playerStatuses } from "../players/health-rules.ts";
import { playerTimelineQuerySchema } from "../players/player-timeline.ts";
import { exportFormatSchema } from "../export/export-stream.ts";
import { auditActions } from "../audit/audit-actions.ts";
import { activityKinds, DEFAULT_BIG_HIT } from "../activity/activity-kinds.ts";
import { anomalyKinds } from "../integrity/find-anomalies.ts";
import { MAX_REPORTED_FINDINGS, MAX_REPORTED_PURGES } from "../integrity/run-integrity-check.ts";
import { checkRange, queryDate, queryInteger } from "../http/query-params.ts";
import { MAX_BUCKETS } from "../metrics/time-buckets.ts";
import { createEncounterSchema, encounterIdSchema, encounterModes, roundCountSchema } from "../combat/encounter-inputs.ts";
import { SQL_INTEGER_MAX } from "../validation/sql-integer.ts";

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
/**
 * A whole save accepts exactly what GET returned: the read-only members (id, level, status,
 * timestamps) are ignored, and `version` may stand in for If-Match.
 */
export const savePlayerBody = savePlayerSchema.extend({
  id: z.string().max(64).optional(),
  version: z.number().int().min(1).max(SQL_INTEGER_MAX).optional().describe("the version read; stands in for If-Match"),
  level: z.number().int().optional().describe("read-only (follows experiencePoints); ignored"),
  status: z.string().max(32).optional().describe("read-only (follows health); ignored"),
  createdAt: z.string().max(64).optional(),
  updatedAt: z.string().max(64).optional(),
  lastActiveAt: z.string().max(64).optional(),
  archivedAt: z.string().max(64).nullable().optional().describe("read-only; ignored"),
  testTag: z.string().max(64).nullable().optional().describe("read-only; ignored"),
});
export const statUpdateBody = statUpdateSchema;
export const statKeyParams = z.strictObject({ key: statKeySchema });
export const statDeclarationBody = z.strictObject({
  label: z.string(),
  min: z.number().int().optional(),
  max: z.number().int().nullable().optional(),
  maxStat: z.string().nullable().optional(),
  default: z.number().int().optional(),
  ledgered: z.boolean().optional(),
  merge: z.enum(["add", "reject", "last"]).optional().describe("a stale whole save that meets another change of this stat: add both deltas, reject (409), or last (the save wins)"),
  conserved: z.boolean().optional().describe("changes only by transfer, or by a stat change whose source is one of `sources` (increase) or `sinks` (decrease)"),
  sources: z.array(z.string()).optional(),
  sinks: z.array(z.string()).optional(),
});
export const statDefinitionSchema = z.object({
  key: z.string(),
  label: z.string(),
  min: z.number().int(),
  max: z.number().int().nullable(),
  maxStat: z.string().nullable(),
  default: z.number().int(),
  ledgered: z.boolean(),
  conserved: z.boolean(),
  sources: z.array(z.string()),
  sinks: z.array(z.string()),
  builtin: z.boolean(),
  position: z.number().int(),
  merge: z.enum(["add", "reject", "last"]).optional(),
});
export const statListSchema = z.object({ items: z.array(statDefinitionSchema) });
export const gameRulesBody = gameRulesSchema;
export const gameRulesViewSchema = z.object({
  declared: gameRulesSchema.nullable(),
  inForce: z.object({ level: levelRuleSchema, healthFloor: z.number().int().nullable(), deathAt: z.number().int().nullable(), healDead: z.boolean() }),
  fromEventId: z.number().int().nullable(),
});
/** The declaration as validated in full (key from the path) — the body schema above is its wire shape. */
export const statDeclarationInput = statDeclarationSchema;
export const healthCorrectionBody = healthCorrectionSchema;
export const signInBody = z.strictObject({
  username: z.string().min(1, "username is required").max(64),
  password: z.string().min(1, "password is required").max(200),
});

/** Page caps: a page of the largest rows the API accepts stays within a few MB. */
export const MAX_ERROR_LOG_PAGE = 200;
export const MAX_AUDIT_PAGE = 500;

export const listPlayersQuery = listPlayersSchema;
export const playerTimelineQuery = playerTimelineQuerySchema;
export const listPlayerEventsQuery = listPlayerEventsSchema;

const bucketsNote = `at most ${MAX_BUCKETS.toLocaleString("en-US")} buckets per request ((until − since) / step); more is a 422 naming the limit`;

export const cacheStatsQuery = z
  .strictObject({
    since: queryDate("since", "Start of the range (default: one hour before until)").optional(),
    until: queryDate("until", "End of the range (default: now)").optional(),
    step: queryInteger("step", { min: 10, max: 86_400, description: `Bucket width in seconds; chosen from the range when omitted (≈ 120 buckets); ${bucketsNote}` }).optional(),
  })
  .superRefine((query, ctx) => checkRange(query, ctx));

export const errorLogQuery = z.strictObject({
  level: z.enum(["error", "fatal"]).optional(),
  module: z.string().trim().min(1).max(100).optional(),
  /** Every entry one request logged (the console links an entry's request id here). */
  requestId: z.string().trim().min(1).max(200).optional(),
  since: queryDate("since").optional(),
  until: queryDate("until").optional(),
  limit: queryInteger("limit", { min: 1, max: MAX_ERROR_LOG_PAGE, description: `Page size, at most ${MAX_ERROR_LOG_PAGE}` }).default(100),
  cursor: queryInteger("cursor", { min: 0, max: SQL_INTEGER_MAX, description: "nextCursor of the previous page" }).optional(),
});

export const auditQuery = z.strictObject({
  actor: z.string().trim().min(1).max(64).optional(),
  action: z.enum(auditActions).optional(),
  playerId: playerIdSchema.optional(),
  player: z.string().trim().min(1).max(100).optional().describe("a player's id or exact name"),
  since: queryDate("since").optional(),
  until: queryDate("until").optional(),
  limit: queryInteger("limit", { min: 1, max: MAX_AUDIT_PAGE, description: `Page size, at most ${MAX_AUDIT_PAGE}` }).default(100),
  // Newest first by time: the cursor names the last entry's moment and id ("<epoch ms>.<id>").
  cursor: z
    .string()
    .regex(/^\d{1,15}\.\d{1,15}$/, "cursor must be the nextCursor of the previous page")
    // Both parts reach the database: a moment a Date can hold and an id a 32-bit column can (PostgreSQL).
    .refine((cursor) => {
      const [ms, id] = cursor.split(".").map(Number) as [number, number];
      return ms <= 8_640_000_000_000_000 && id <= SQL_INTEGER_MAX;
    }, "cursor must be the nextCursor of the previous page")
    .optional()
    .describe("nextCursor of the previous page"),
});

export const MAX_ACTIVITY_PAGE = 200;
export const MAX_WATCHED_PLAYERS = 20;
export const activityQuery = z
  .strictObject({
    kind: z.enum(activityKinds).optional().describe("one kind of incident; all kinds when absent"),
    players: z
      .string()
      .max(MAX_WATCHED_PLAYERS * 40)
      .transform((value, ctx) => {
        const ids = value.split(",").map((id) => id.trim()).filter(Boolean);
        if (ids.length > MAX_WATCHED_PLAYERS) ctx.addIssue({ code: "custom", message: `at most ${MAX_WATCHED_PLAYERS} players`, input: value });
        for (const id of ids) if (!playerIdSchema.safeParse(id).success) ctx.addIssue({ code: "custom", message: `not a player id: ${id.slice(0, 40)}`, input: value });
        return ids;
      })
      .optional()
      .describe(`comma-separated player ids (a watched list), at most ${MAX_WATCHED_PLAYERS}`),
    bigHit: queryInteger("bigHit", { min: 1, max: 1_000_000_000, description: `A hit of at least this much health is big (default ${DEFAULT_BIG_HIT})` }).default(DEFAULT_BIG_HIT),
    since: queryDate("since").optional(),
    until: queryDate("until").optional(),
    limit: queryInteger("limit", { min: 1, max: MAX_ACTIVITY_PAGE, description: `Page size, at most ${MAX_ACTIVITY_PAGE}` }).default(50),
    cursor: z
      .string()
      .regex(/^\d{1,16}\.\d{1,16}$/, "cursor must be the nextCursor of the previous page")
      .optional()
      .describe("nextCursor of the previous page"),
  })
  .superRefine((query, ctx) => checkRange(query, ctx));

// Exports take their list's filters (no limit or cursor: they page through everything) and a format.
export const ledgerExportQuery = z
  .strictObject({
    format: exportFormatSchema,
    field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "field must be a stat key").optional(),
    since: queryDate("since").optional(),
    until: queryDate("until").optional(),
    order: z.enum(["asc", "desc"]).default("asc"),
  })
  .superRefine((query, ctx) => checkRange(query, ctx, { allowEqual: true }));
export const auditExportQuery = auditQuery.omit({ limit: true, cursor: true }).extend({ format: exportFormatSchema });
export const errorExportQuery = errorLogQuery.omit({ limit: true, cursor: true }).extend({ format: exportFormatSchema });

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
  stats: z.record(z.string(), z.number().int()).describe("declared stats other than the built-ins (GET /api/v1/stats); a missing key has its default"),
  version: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
  lastActiveAt: isoDate,
  archivedAt: isoDate.nullable().describe("set when archived (DELETE /api/v1/players/{id}): hidden from lists, writes refused with 410"),
  testTag: z.string().nullable().describe("set when a test suite created the player: such players can be purged"),
});

export const playerEventSchema = z.object({
  id: z.number().int(),
  playerId: z.string(),
  at: isoDate,
  field: z.string().describe("a stat key (health, maxHealth, experience, level, or a declared stat), name | room | profession, or version"),
  delta: z.number().int(),
  before: z.number().int(),
  after: z.number().int(),
  beforeText: z.string().nullable().describe("name, room and profession rows: the text value before"),
  afterText: z.string().nullable(),
  reason: z.enum(ledgerReasons),
  detail: jsonObject.nullable(),
  actor: z.string(),
  requestId: z.string().nullable(),
  changeId: z.string(),
  playerVersion: z.number().int(),
});

export const mutationResultSchema = z.object({ player: playerSchema, event: playerEventSchema, events: z.array(playerEventSchema) });
/** A stale whole save merged over the writes since the version it read (issue 21). */
export const saveMergeSchema = z.object({
  baseVersion: z.number().int().describe("the version the save read"),
  fromSave: z.array(z.string()).describe("fields the save changed, applied (numbers as the save's delta)"),
  keptFromOthers: z.array(z.string()).describe("fields other writes changed, kept"),
  combined: z.array(z.string()).describe("fields both changed, both deltas counted (merge rule add)"),
});
export const saveResultSchema = mutationResultSchema.extend({ merge: saveMergeSchema.optional() });
export const listSaveAttemptsQuery = listSaveAttemptsSchema;
export const saveAttemptSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  playerId: z.string(),
  baseVersion: z.number().int().describe("the version the save named"),
  currentVersion: z.number().int().nullable().describe("the version it met"),
  resultVersion: z.number().int().nullable().describe("the version it produced (null when refused)"),
  outcome: z.enum(saveOutcomes),
  code: z.string().nullable().describe("the refusal's error code"),
  fields: z.object({
    fromSave: z.array(z.string()).optional(),
    keptFromOthers: z.array(z.string()).optional(),
    combined: z.array(z.string()).optional(),
    conflicts: z.array(z.string()).optional(),
  }),
  actor: z.string(),
  actorKind: z.string(),
  requestId: z.string().nullable(),
});
export const saveAttemptPageSchema = z.object({ items: z.array(saveAttemptSchema), nextCursor: z.string().nullable() });
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

/** A batch of 1,000 changes is ~150 KB; the cap leaves room and stays bounded. */
export const MAX_CHANGE_BATCH_BODY_BYTES = 512 * 1024;
export const changeBatchBody = changeBatchSchema;
export const changeBatchResultSchema = z.object({
  results: z.array(
    z.union([
      z.object({
        index: z.number().int(),
        status: z.literal(200),
        player: playerSchema.describe("the player the change addressed (a transfer's giver)"),
        players: z.array(playerSchema).describe("every player the change wrote (a transfer: giver, receiver)"),
        events: z.array(playerEventSchema),
      }),
      z.object({ index: z.number().int(), status: z.number().int(), problem: problemSchema }),
    ]),
  ),
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
    since: queryDate("since", "Start of the range (default: one hour before until)").optional(),
    until: queryDate("until", "End of the range (default: now)").optional(),
    step: queryInteger("step", { min: 60, max: 86_400, description: `Bucket width in seconds, whole minutes; chosen from the range when omitted (≈ 120 buckets); ${bucketsNote}` })
      .refine((step) => step % 60 === 0, { message: "step must be a whole number of minutes (in seconds)" })
      .optional(),
    level: z.enum(["error", "fatal"]).optional(),
    module: z.string().trim().min(1).max(100).optional(),
  })
  .superRefine((query, ctx) => checkRange(query, ctx));

export const integrityQuery = z.strictObject({ playerId: playerIdSchema.optional() });
export const integrityRunBody = z.strictObject({
  scope: z.enum(["incremental", "full"]).default("incremental").describe("full: re-verify every player's whole retained history, not only what is new plus the rotating sample"),
});

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
  cacheReads: z.number().int().describe("the hit rate's sample size: cache reads in its window"),
  cacheHitRateLowSample: z.boolean().describe("fewer cache reads than a rate can be judged on"),
  invalidationsPerMinuteLastHour: z.number(),
  invalidationsNow: z
    .object({ write: z.number().int(), ttl: z.number().int(), event: z.number().int(), manual: z.number().int(), total: z.number().int() })
    .describe("over the last nowWindowSeconds, all instances"),
  invalidationsPerMinuteNow: z.number().describe("invalidationsNow.total per minute of nowWindowSeconds"),
  staleSavesRefusedNow: z.number().int().describe("over the last nowWindowSeconds, all instances"),
  nowWindowSeconds: z.number().int().describe("the window the console calls \"now\" (5 minutes)"),
  includesDemoMetrics: z.boolean().describe("some samples behind these figures are the seed's invented ones (instance demo-seed)"),
  onlineWindowSeconds: z.number().int(),
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
export const playerPurgeSchema = z.object({
  playerId: z.string(),
  playerName: z.string(),
  testTag: z.string(),
  ledgerRows: z.number().int().describe("ledger rows removed with the player"),
  lastEventHash: z.string().nullable().describe("the hash of the last removed ledger row"),
  purgedAt: isoDate,
  purgedBy: z.string(),
});
export const integrityReportSchema = z.object({
  run: z
    .object({
      id: z.string(),
      trigger: z.enum(["manual", "schedule"]),
      actor: z.string(),
      scope: z.enum(["incremental", "full"]),
      status: z.enum(["queued", "running", "finished", "stopped", "failed"]).describe("stopped: its time budget ran out; the next run resumes from what it checkpointed"),
      startedAt: isoDate,
      progressAt: isoDate.nullable().describe("the last progress update"),
      finishedAt: isoDate.nullable().describe("null while queued or running"),
      durationMs: z.number().int().nullable(),
      playersTotal: z.number().int(),
      playersScanned: z.number().int(),
      eventsScanned: z.number().int(),
      eventsResampled: z.number().int().describe("already-verified rows checked again"),
      findingCount: z.number().int().describe("all findings of the run, whatever the playerId filter"),
      note: z.string().nullable().describe("why a run stopped or failed"),
    })
    .nullable()
    .describe("null until the first check has run"),
  findings: z.array(integrityFindingSchema).max(MAX_REPORTED_FINDINGS).describe(`the first ${MAX_REPORTED_FINDINGS} findings (run.findingCount counts all)`),
  purges: z
    .array(playerPurgeSchema.omit({ lastEventHash: true }))
    .max(MAX_REPORTED_PURGES)
    .describe("test players purged (with their ledgers) in the last 7 days, newest first: recorded purges, not tampering"),
});

// History (lib/history, lib/player-operations/restore-player.ts).
const isoMoment = z.iso.datetime({ offset: true, error: "at must be an ISO 8601 date-time" }).transform((value) => new Date(value));
export const stateAtQuery = z
  .strictObject({
    at: queryDate("at", "The moment: the state after every change made at or before it").optional(),
    event: queryInteger("event", { min: 1, max: SQL_INTEGER_MAX, description: "A ledger event id: the state right after its change" }).optional(),
  })
  .refine((query) => (query.at === undefined) !== (query.event === undefined), { message: "give exactly one of at or event", path: ["at"] });
export const restoreBody = z
  .strictObject({
    at: isoMoment.optional(),
    event: z.number().int().min(1).optional(),
    reason: reasonSchema,
  })
  .refine((body) => (body.at === undefined) !== (body.event === undefined), { message: "give exactly one of at or event", path: ["at"] });
export const revertQuery = z
  .strictObject({ changeId: z.string().min(1).max(100).optional(), requestId: z.string().min(1).max(200).optional() })
  .refine((query) => (query.changeId === undefined) !== (query.requestId === undefined), { message: "give exactly one of changeId or requestId", path: ["changeId"] });
export const revertBody = z
  .strictObject({ changeId: z.string().min(1).max(100).optional(), requestId: z.string().min(1).max(200).optional(), reason: reasonSchema })
  .refine((body) => (body.changeId === undefined) !== (body.requestId === undefined), { message: "give exactly one of changeId or requestId", path: ["changeId"] });
const statDiffSchema = z.object({ stat: z.string(), now: z.number().int(), after: z.number().int() });
export const playerStateSchema = z.object({
  playerId: z.string(),
  eventId: z.number().int().nullable(),
  version: z.number().int(),
  at: z.string().nullable(),
  stats: z.record(z.string(), z.number().int()),
  name: z.string(),
  room: z.string().nullable(),
  profession: z.string().nullable(),
});
export const restorePreviewSchema = z.object({ playerId: z.string(), version: z.number().int(), eventId: z.number().int().nullable(), at: z.string().nullable(), diff: z.array(statDiffSchema) });
export const revertPreviewSchema = z.object({ playerId: z.string(), version: z.number().int(), changeIds: z.array(z.string()), diff: z.array(statDiffSchema) });
const markerItemSchema = z.object({
  id: z.number().int(),
  at: isoDate,
  field: z.string(),
  reason: z.string(),
  before: z.number().int(),
  after: z.number().int(),
  delta: z.number().int(),
  actor: z.string(),
  note: z.string().nullable().describe("a correction's reason"),
  source: z.string().nullable(),
  requestId: z.string().nullable(),
});
export const playerTimelineSchema = z.object({
  field: z.string(),
  range: z.object({ since: isoDate, until: isoDate }),
  points: z.array(
    z.object({
      t: z.number().describe("epoch milliseconds"),
      value: z.number().int(),
      marker: z
        .object({ count: z.number().int(), reason: z.string().describe('shared by every change, or "mixed"'), fields: z.array(z.string()), items: z.array(markerItemSchema).describe("the first few changes") })
        .nullable(),
    }),
  ),
  rowsRead: z.number().int(),
  truncated: z.boolean().describe("more rows in the range than one timeline reads; the chart starts at the oldest read"),
});

// The server-wide activity feed (GET /api/v1/activity; lib/persistence/list-activity.ts).
const activityItemSchema = z.object({
  id: z.string().describe("e<ledger id> or f<finding id>"),
  source: z.enum(["ledger", "integrity"]),
  kinds: z.array(z.enum(activityKinds)),
  at: isoDate,
  playerId: z.string(),
  playerName: z.string(),
  eventId: z.number().int().nullable(),
  field: z.string().nullable(),
  before: z.number().int().nullable(),
  after: z.number().int().nullable(),
  delta: z.number().int().nullable(),
  reason: z.string().nullable(),
  actor: z.string().nullable(),
  changeId: z.string().nullable(),
  requestId: z.string().nullable(),
  message: z.string().nullable(),
  severity: z.enum(["error", "warning"]).nullable(),
});
export const activityPageSchema = z.object({
  items: z.array(activityItemSchema),
  nextCursor: z.string().nullable(),
  scanned: z.object({ fromEventId: z.number().int(), toEventId: z.number().int() }).describe("the ledger ids this page looked at (a bounded window)"),
});
