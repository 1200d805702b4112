/**
 * Every error the service reports on purpose, with its HTTP status. Handlers throw `AppError`s;
 * one place (lib/http/problem.ts) turns them into application/problem+json.
 */
export const errorStatus = {
  bad_request: 400,
  /** The body was not JSON at all. */
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  player_not_found: 404,
  not_found: 404,
  /** No combat encounter with this id in this process (they live in memory; see lib/combat). */
  encounter_not_found: 404,
  method_not_allowed: 405,
  /** A whole-object save or a correction named a version that is no longer current. */
  stale_version: 409,
  /** The name is taken (players, users, tokens). */
  already_exists: 409,
  /** A request with this Idempotency-Key is still being processed. */
  idempotency_in_progress: 409,
  /**
   * The first request with this Idempotency-Key was applied, but its process died before storing
   * the response; a retry learns that (and applies nothing) instead of waiting forever.
   */
  idempotency_response_lost: 409,
  /** A revert of a change that another revert already undid (the problem names that revert's changeId). */
  already_reverted: 409,
  /** Revert by request id, but the id was sent by several callers or at different times (a reused X-Request-Id). */
  request_id_ambiguous: 409,
  /** The combat encounter has already ended (NPC defeated, player dead, round limit or failure). */
  encounter_finished: 409,
  /** The moment or event asked for is older than what `ledger prune` kept (LedgerBase). */
  history_pruned: 410,
  /** The player was archived (DELETE /api/v1/players/{id}): every write is refused; an admin can bring it back. */
  player_archived: 410,
  /** Only players created with a testTag can be purged; others can only be archived. */
  not_a_test_player: 409,
  /** Bringing back a player that is not archived. */
  player_not_archived: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_input: 422,
  /** A dead player cannot be healed, only respawned. */
  player_dead: 422,
  /** A transfer's giver lacks the amount (it would fall below the stat's lower bound); nothing moved. */
  insufficient_balance: 422,
  /** A transfer would take the receiver above the stat's upper bound; nothing moved. */
  stat_bound_exceeded: 422,
  /** A conserved stat changed other than by transfer or a declared source/sink (see the stat's declaration). */
  conserved_stat: 422,
  /** The same Idempotency-Key was sent with a different request. */
  idempotency_key_reused: 422,
  /** A whole-object save without If-Match. */
  precondition_required: 428,
  rate_limited: 429,
  /** The caller already runs EXPORT_MAX_PER_CALLER downloads, or the process EXPORT_MAX_CONCURRENT (Retry-After says when to try again). */
  exports_busy: 429,
  internal: 500,
  /** The database is unreachable or locked beyond the busy timeout. */
  database_unavailable: 503,
  /**
   * The StatDefinition table holds a bound loop (a maxStat chain that comes back to itself), written
   * behind Pnakotic's back: declarations refuse loops, so writes stop until an admin redeclares one.
   */
  stat_bounds_loop: 503,
  /** A stored GameRuleSet row does not parse (written behind Pnakotic's back): writes stop until the rules are declared again. */
  game_rules_invalid: 503,
  /**
   * The ledger signing key (LEDGER_SIGNING_KEY / LEDGER_SIGNING_KEY_FILE) could not be read or created:
   * everything else is served, but checkpoints and prune bases can be neither signed nor verified.
   */
  ledger_key_unavailable: 503,
  /** The process holds as many running combat encounters as it allows. */
  too_many_encounters: 503,
  /** The process serves as many live-update streams as LIVE_MAX_STREAMS allows; the console falls back to polling. */
  live_streams_exhausted: 503,
  /** The caller (one session user or token) already holds LIVE_MAX_STREAMS_PER_CALLER live streams; close one (admins are always admitted). */
  live_streams_per_caller: 429,
} as const;

export type ErrorCode = keyof typeof errorStatus;
