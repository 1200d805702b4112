import type { z } from "zod";
import type { Role } from "../auth/roles.ts";
import * as s from "./api-schemas.ts";

export type Access = { roles: readonly Role[] } | "public" | "signed-in" | "metrics";

export interface RouteSpec {
  operationId: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** OpenAPI-style template; also the `route` label of the HTTP metrics (never a real id). */
  path: string;
  summary: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** POST mutations honour Idempotency-Key. */
  idempotent?: boolean;
  ifMatch?: "required" | "optional";
  response: { status: number; description: string; schema?: z.ZodType; contentType?: string };
}

const staff: readonly Role[] = ["viewer", "support", "admin"];
const readers: readonly Role[] = ["viewer", "support", "admin", "service"];

/**
 * The whole HTTP contract in one table. Route handlers, the OpenAPI document and the
 * authorization-matrix test are all generated from it, so they cannot drift apart.
 *
 * Combat writes (damage, heal, experience) are for game servers only: staff change health through
 * corrections, which require a reason and are audited.
 */
export const routes = {
  listPlayers: {
    operationId: "listPlayers",
    method: "GET",
    path: "/api/v1/players",
    summary: "List and search players",
    access: { roles: readers },
    query: s.listPlayersQuery,
    response: { status: 200, description: "A page of players", schema: s.playerPageSchema },
  },
  createPlayer: {
    operationId: "createPlayer",
    method: "POST",
    path: "/api/v1/players",
    summary: "Create a player",
    access: { roles: ["admin", "service"] },
    body: s.createPlayerBody,
    idempotent: true,
    response: { status: 201, description: "The new player (ETag = version)", schema: s.playerSchema },
  },
  getPlayer: {
    operationId: "getPlayer",
    method: "GET",
    path: "/api/v1/players/{id}",
    summary: "Read a player (cached; ETag = version, X-Cache = hit|miss)",
    access: { roles: readers },
    params: s.playerIdParams,
    response: { status: 200, description: "The player", schema: s.playerSchema },
  },
  savePlayer: {
    operationId: "savePlayer",
    method: "PUT",
    path: "/api/v1/players/{id}",
    summary: "Whole-object save; requires If-Match with the version read (409 when stale)",
    access: { roles: ["service", "admin"] },
    params: s.playerIdParams,
    body: s.savePlayerBody,
    ifMatch: "required",
    response: { status: 200, description: "The saved player and its ledger rows", schema: s.mutationResultSchema },
  },
  damagePlayer: {
    operationId: "damagePlayer",
    method: "POST",
    path: "/api/v1/players/{id}/damage",
    summary: "health − amount, clamped at the floor",
    access: { roles: ["service"] },
    params: s.playerIdParams,
    body: s.damageBody,
    idempotent: true,
    response: { status: 200, description: "The new state and its ledger row", schema: s.mutationResultSchema },
  },
  healPlayer: {
    operationId: "healPlayer",
    method: "POST",
    path: "/api/v1/players/{id}/heal",
    summary: "health + amount, clamped at maxHealth (422 player_dead for the dead)",
    access: { roles: ["service"] },
    params: s.playerIdParams,
    body: s.amountBody,
    idempotent: true,
    response: { status: 200, description: "The new state and its ledger row", schema: s.mutationResultSchema },
  },
  gainExperience: {
    operationId: "gainExperience",
    method: "POST",
    path: "/api/v1/players/{id}/experience",
    summary: "experiencePoints + amount; level follows",
    access: { roles: ["service"] },
    params: s.playerIdParams,
    body: s.amountBody,
    idempotent: true,
    response: { status: 200, description: "The new state and its ledger rows", schema: s.mutationResultSchema },
  },
  respawnPlayer: {
    operationId: "respawnPlayer",
    method: "POST",
    path: "/api/v1/players/{id}/respawn",
    summary: "Restore health to maxHealth",
    access: { roles: ["service", "support", "admin"] },
    params: s.playerIdParams,
    body: s.respawnBody,
    idempotent: true,
    response: { status: 200, description: "The new state and its ledger row", schema: s.mutationResultSchema },
  },
  correctHealth: {
    operationId: "correctHealth",
    method: "POST",
    path: "/api/v1/players/{id}/health-corrections",
    summary: "Support correction: { health, reason } or { delta, reason }; optional If-Match",
    access: { roles: ["support", "admin"] },
    params: s.playerIdParams,
    body: s.healthCorrectionBody,
    idempotent: true,
    ifMatch: "optional",
    response: { status: 200, description: "The new state and its ledger row", schema: s.mutationResultSchema },
  },
  listPlayerEvents: {
    operationId: "listPlayerEvents",
    method: "GET",
    path: "/api/v1/players/{id}/events",
    summary: "The player's ledger (timeline source)",
    access: { roles: readers },
    params: s.playerIdParams,
    query: s.listPlayerEventsQuery,
    response: { status: 200, description: "A page of ledger rows", schema: s.playerEventPageSchema },
  },
  flushPlayerCache: {
    operationId: "flushPlayerCache",
    method: "DELETE",
    path: "/api/v1/players/{id}/cache",
    summary: "Drop this player's cache entry (counted as a manual invalidation)",
    access: { roles: ["admin"] },
    params: s.playerIdParams,
    response: { status: 204, description: "Flushed (whether or not it was cached)" },
  },
  listNpcPresets: {
    operationId: "listNpcPresets",
    method: "GET",
    path: "/api/v1/combat/npcs",
    summary: "List the combat simulator's NPC presets",
    access: { roles: readers },
    response: { status: 200, description: "The presets", schema: s.npcPresetListSchema },
  },
  listEncounters: {
    operationId: "listEncounters",
    method: "GET",
    path: "/api/v1/combat/encounters",
    summary: "List this process's combat encounters (newest first, without round logs)",
    access: { roles: readers },
    response: { status: 200, description: "Encounter summaries", schema: s.encounterListSchema },
  },
  createEncounter: {
    operationId: "createEncounter",
    method: "POST",
    path: "/api/v1/combat/encounters",
    summary: "Start a combat encounter (deterministic: advance rounds yourself; live: rounds on an interval)",
    access: { roles: ["service", "admin"] },
    body: s.createEncounterBody,
    idempotent: true,
    response: { status: 201, description: "The new encounter", schema: s.encounterSchema },
  },
  getEncounter: {
    operationId: "getEncounter",
    method: "GET",
    path: "/api/v1/combat/encounters/{id}",
    summary: "Read a combat encounter: state and round log",
    access: { roles: readers },
    params: s.encounterIdParams,
    response: { status: 200, description: "The encounter", schema: s.encounterSchema },
  },
  advanceEncounter: {
    operationId: "advanceEncounter",
    method: "POST",
    path: "/api/v1/combat/encounters/{id}/rounds",
    summary: "Play 1–100 combat rounds (fewer if the encounter ends; 409 encounter_finished once it has)",
    access: { roles: ["service", "admin"] },
    params: s.encounterIdParams,
    body: s.advanceRoundsBody,
    idempotent: true,
    response: { status: 200, description: "The encounter after the rounds", schema: s.encounterSchema },
  },
  disconnectEncounterPlayer: {
    operationId: "disconnectEncounterPlayer",
    method: "POST",
    path: "/api/v1/combat/encounters/{id}/disconnect",
    summary: "Disconnect the player from a combat encounter (combat goes on without them)",
    access: { roles: ["service", "admin"] },
    params: s.encounterIdParams,
    idempotent: true,
    response: { status: 200, description: "The encounter", schema: s.encounterSchema },
  },
  cacheStats: {
    operationId: "cacheStats",
    method: "GET",
    path: "/api/v1/cache/stats",
    summary: "Counter history for charts, and current totals",
    access: { roles: staff },
    query: s.cacheStatsQuery,
    response: { status: 200, description: "Buckets and totals" },
  },
  listErrors: {
    operationId: "listErrors",
    method: "GET",
    path: "/api/v1/errors",
    summary: "The error log",
    access: { roles: staff },
    query: s.errorLogQuery,
    response: { status: 200, description: "A page of error-log entries" },
  },
  errorHistogram: {
    operationId: "errorHistogram",
    method: "GET",
    path: "/api/v1/errors/histogram",
    summary: "Error-log entries per minute (or wider buckets), by level",
    access: { roles: staff },
    query: s.errorHistogramQuery,
    response: { status: 200, description: "Buckets of error and fatal counts", schema: s.errorHistogramSchema },
  },
  overview: {
    operationId: "overview",
    method: "GET",
    path: "/api/v1/overview",
    summary: "Player counts (total, online, dead, mortally wounded), errors, stale saves and invalidations in the last hour, cache hit rate, the health floor",
    access: { roles: staff },
    response: { status: 200, description: "Dashboard summary", schema: s.overviewSchema },
  },
  integrityReport: {
    operationId: "integrityReport",
    method: "GET",
    path: "/api/v1/integrity",
    summary: "The latest integrity check and its findings (optionally for one player)",
    access: { roles: staff },
    query: s.integrityQuery,
    response: { status: 200, description: "The latest run and its findings", schema: s.integrityReportSchema },
  },
  runIntegrityCheck: {
    operationId: "runIntegrityCheck",
    method: "POST",
    path: "/api/v1/integrity/runs",
    summary: "Run the integrity check now",
    access: { roles: ["support", "admin"] },
    idempotent: true,
    response: { status: 200, description: "The run and its findings", schema: s.integrityReportSchema },
  },
  listAudit: {
    operationId: "listAudit",
    method: "GET",
    path: "/api/v1/audit",
    summary: "Staff actions",
    access: { roles: ["support", "admin"] },
    query: s.auditQuery,
    response: { status: 200, description: "A page of audit entries" },
  },
  signIn: {
    operationId: "signIn",
    method: "POST",
    path: "/api/v1/auth/session",
    summary: "Staff sign-in; sets an HttpOnly session cookie",
    access: "public",
    body: s.signInBody,
    response: { status: 200, description: "The signed-in user" },
  },
  currentSession: {
    operationId: "currentSession",
    method: "GET",
    path: "/api/v1/auth/session",
    summary: "Who is signed in",
    access: "signed-in",
    response: { status: 200, description: "The caller" },
  },
  signOut: {
    operationId: "signOut",
    method: "DELETE",
    path: "/api/v1/auth/session",
    summary: "Sign out (deletes the session)",
    access: "signed-in",
    response: { status: 204, description: "Signed out" },
  },
  metrics: {
    operationId: "metrics",
    method: "GET",
    path: "/api/metrics",
    summary: "Prometheus metrics (METRICS_SCRAPE_TOKEN bearer, or an admin)",
    access: "metrics",
    response: { status: 200, description: "Prometheus text format", contentType: "text/plain; version=0.0.4" },
  },
  health: {
    operationId: "health",
    method: "GET",
    path: "/api/health",
    summary: "Liveness/readiness, incl. a database check",
    access: "public",
    response: { status: 200, description: "Healthy (503 when the database is unreachable)" },
  },
  openapi: {
    operationId: "openapi",
    method: "GET",
    path: "/api/openapi.json",
    summary: "This document",
    access: "public",
    response: { status: 200, description: "OpenAPI 3.1" },
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;
