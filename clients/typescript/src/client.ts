import createClient from "openapi-fetch";
import type { Client } from "openapi-fetch";
import type { components, operations, paths } from "./schema.ts";
import { isTransientError, newIdempotencyKey } from "./idempotent-retry.ts";

export { createOrderedQueue } from "./ordered-queue.ts";
export type { OrderedQueue } from "./ordered-queue.ts";
export { isTransientError, newIdempotencyKey, retryWithSameKey } from "./idempotent-retry.ts";
export type { IdempotentRetryOptions } from "./idempotent-retry.ts";

/*
 * A typed client for the Pnakotic API. Every request and response type comes from ./schema.ts,
 * which `npm run client:generate` writes from the server's OpenAPI document; nothing here restates
 * a field by hand. `client.api` is the raw openapi-fetch client (every route, fully typed); the
 * methods below add what a game server needs around it: Idempotency-Key on every mutation (reused
 * across retries), If-Match on saves, StaleDataError, and re-read/re-apply on a version conflict.
 */

type JsonBody<T> = T extends { content: { "application/json": infer Body } } ? Body : never;
type OkResponse<Op extends keyof operations> = JsonBody<operations[Op]["responses"][Extract<keyof operations[Op]["responses"], 200 | 201>]>;
type RequestBody<Op extends keyof operations> = operations[Op] extends { requestBody: { content: { "application/json": infer Body } } } ? Body : never;

export type Problem = components["schemas"]["Problem"];
export type Player = OkResponse<"getPlayer">;
/** What PUT /api/v1/players/{id} accepts: the writable fields of a player. */
export type PlayerSave = RequestBody<"savePlayer">;
export type CreatePlayerInput = RequestBody<"createPlayer">;
export type PlayerMutation = OkResponse<"damagePlayer">;
export type DamageInput = RequestBody<"damagePlayer">;
export type HealInput = RequestBody<"healPlayer">;
export type ExperienceInput = RequestBody<"gainExperience">;
export type ChangeBatch = RequestBody<"applyChanges">;
export type Change = ChangeBatch["changes"][number];
export type ChangeBatchResult = OkResponse<"applyChanges">;
export type TransferInput = Omit<Extract<Change, { op: "transfer" }>, "op">;
export type Encounter = OkResponse<"getEncounter">;
export type EncounterSetup = RequestBody<"createEncounter">;
export type PlayerPurge = OkResponse<"purgeTestPlayer">;
export type PnakoticPaths = paths;

/** A problem+json answer (any non-2xx); `code` is the server's error code (lib/errors/error-codes.ts). */
export class PnakoticApiError extends Error {
  readonly code: string;
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    what: string,
  ) {
    super(`${what} failed: HTTP ${status} ${problem ? `${problem.code}: ${problem.detail}` : "(no problem body)"}`);
    this.name = "PnakoticApiError";
    this.code = problem?.code ?? `http_${status}`;
  }
}

/** A save or correction refused because the version it carried is no longer the player's (409 stale_version). */
export class StaleDataError extends PnakoticApiError {
  constructor(status: number, problem: Problem | null, what: string) {
    super(status, problem, what);
    this.name = "StaleDataError";
  }
}

export interface PnakoticClientOptions {
  baseUrl: string;
  /** A bearer token (`npm run admin -- token create …`). */
  token?: string;
  /** Or a staff session cookie ("pnakotic_session=…"); mutations then also send Origin (CSRF check). */
  cookie?: string;
  /** Origin sent with cookie-authenticated requests; defaults to baseUrl's origin. */
  origin?: string;
  /** Attempts for a mutation that met a network error or a 503 (same Idempotency-Key each time). Default 3. */
  attempts?: number;
  /** Per-request timeout in ms. Default 10 000. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

export interface MutationOptions {
  /** Reuse one key when you retry a logical operation yourself; a fresh one otherwise. */
  idempotencyKey?: string;
  requestId?: string;
}

/** The If-Match value for a version you read: `"5"` (the player's ETag). */
export function ifMatch(version: number): string {
  return `"${version}"`;
}

type ApiResult<T> = { data?: T; error?: unknown; response: Response };

export function createPnakoticClient(options: PnakoticClientOptions) {
  const attempts = Math.max(1, options.attempts ?? 3);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.cookie) {
    headers.Cookie = options.cookie;
    headers.Origin = options.origin ?? new URL(options.baseUrl).origin;
  }
  const baseFetch = options.fetch ?? globalThis.fetch;
  const api: Client<paths> = createClient<paths>({
    baseUrl: options.baseUrl,
    headers,
    fetch: (request: Request) => baseFetch(request, { signal: AbortSignal.timeout(timeoutMs) }),
  });

  /** Unwraps an openapi-fetch result: the body on 2xx, a typed error otherwise. */
  function unwrap<T>(result: ApiResult<T>, what: string): T {
    if (result.response.ok) return result.data as T;
    const problem = (result.error ?? null) as Problem | null;
    if (result.response.status === 409 && problem?.code === "stale_version") throw new StaleDataError(409, problem, what);
    throw new PnakoticApiError(result.response.status, problem, what);
  }

  /**
   * Sends a mutation, retrying network failures and 503s with the same Idempotency-Key, so a
   * retry of a write that did reach the server replays its first answer instead of applying twice.
   */
  async function mutate<T>(what: string, mutation: MutationOptions, send: (headers: { "Idempotency-Key": string; "X-Request-Id"?: string }) => Promise<ApiResult<T>>): Promise<T> {
    const sent = { "Idempotency-Key": mutation.idempotencyKey ?? newIdempotencyKey(), ...(mutation.requestId ? { "X-Request-Id": mutation.requestId } : {}) };
    for (let attempt = 1; ; attempt += 1) {
      let result: ApiResult<T>;
      try {
        result = await send(sent);
      } catch (error) {
        if (attempt < attempts && isTransientError(error)) continue;
        throw error;
      }
      // 503 database_unavailable (or a proxy's 503 without a problem body) is worth another try;
      // other 503s (e.g. too_many_encounters) are answers.
      const code = (result.error as Problem | undefined)?.code;
      if (result.response.status === 503 && (code === undefined || code === "database_unavailable") && attempt < attempts) continue;
      return unwrap(result, what);
    }
  }

  async function getPlayer(id: string): Promise<Player> {
    return unwrap(await api.GET("/api/v1/players/{id}", { params: { path: { id } } }), `read player ${id}`);
  }

  /**
   * A stale `version` is merged field by field by the server (the answer's `merge` says how);
   * `{ merge: false }` sends `Prefer: merge=none` and gets StaleDataError instead. A field conflict
   * is a StaleDataError whose `problem.conflicts` lists the fields.
   */
  async function savePlayer(id: string, player: PlayerSave, version: number, mutation: MutationOptions & { merge?: boolean } = {}) {
    const what = `save player ${id} at version ${version}`;
    const header = { "If-Match": ifMatch(version), ...(mutation.merge === false ? { Prefer: "merge=none" as const } : {}), ...(mutation.requestId ? { "X-Request-Id": mutation.requestId } : {}) };
    const result = await api.PUT("/api/v1/players/{id}", {
      params: { path: { id }, header },
      body: player,
    });
    return unwrap(result, what);
  }

  return {
    /** The raw typed client (openapi-fetch): every route in the document. */
    api,
    unwrap,
    getPlayer,
    createPlayer: (body: CreatePlayerInput, mutation: MutationOptions = {}) =>
      mutate("create player", mutation, (header) => api.POST("/api/v1/players", { params: { header }, body })),
    damagePlayer: (id: string, body: DamageInput, mutation: MutationOptions = {}) =>
      mutate(`damage player ${id}`, mutation, (header) => api.POST("/api/v1/players/{id}/damage", { params: { path: { id }, header }, body })),
    healPlayer: (id: string, body: HealInput, mutation: MutationOptions = {}) =>
      mutate(`heal player ${id}`, mutation, (header) => api.POST("/api/v1/players/{id}/heal", { params: { path: { id }, header }, body })),
    gainExperience: (id: string, body: ExperienceInput, mutation: MutationOptions = {}) =>
      mutate(`add experience to player ${id}`, mutation, (header) => api.POST("/api/v1/players/{id}/experience", { params: { path: { id }, header }, body })),
    /**
     * Many changes across players in one request and one transaction (up to 1,000). `atomic`: all or
     * nothing; a refusal throws PnakoticApiError whose problem names `changeIndex`. `independent`:
     * each change applied or refused on its own; each result says which. One Idempotency-Key covers
     * the whole batch, so a retry applies it once.
     */
    applyChanges: (batch: ChangeBatch, mutation: MutationOptions = {}) =>
      mutate(`apply ${batch.changes.length} changes`, mutation, (header) => api.POST("/api/v1/changes", { params: { header }, body: batch })),
    /**
     * Moves `amount` of a declared stat from one player to another, atomically: refused whole
     * (insufficient_balance, stat_bound_exceeded) when the giver lacks it or the receiver's bound
     * would be exceeded. Returns the giver and the receiver after the transfer.
     */
    async transfer(input: TransferInput, mutation: MutationOptions & { reason?: string } = {}) {
      const { reason, ...options } = mutation;
      const { results } = await mutate(`transfer ${input.amount} ${input.stat}`, options, (header) =>
        api.POST("/api/v1/changes", { params: { header }, body: { mode: "atomic", ...(reason ? { reason } : {}), changes: [{ op: "transfer", ...input }] } }),
      );
      const [result] = results;
      if (!result || !("players" in result)) throw new Error("transfer: the server answered without the transfer's result");
      return { from: result.players[0]!, to: result.players[1]!, events: result.events };
    },
    /** Whole-object save carrying the version it was based on; merged over writes since, or StaleDataError on a conflict. */
    savePlayer,
    /** The player with exactly this name (NFC, case-insensitive), or null. */
    async findPlayerByName(name: string): Promise<Player | null> {
      const page = unwrap(await api.GET("/api/v1/players", { params: { query: { name } } }), `look up player ${JSON.stringify(name)}`);
      return page.items[0] ?? null;
    },
    /**
     * Read → change → save, and on StaleDataError read again and re-apply `change` to the fresh
     * copy (up to `attempts` times). `change` must be a pure function of the player it is given.
     */
    async updatePlayer(id: string, change: (player: Player) => PlayerSave | Promise<PlayerSave>, { attempts: tries = 3, ...mutation }: MutationOptions & { attempts?: number; merge?: boolean } = {}) {
      for (let attempt = 1; ; attempt += 1) {
        const player = await getPlayer(id);
        try {
          return await savePlayer(id, await change(player), player.version, mutation);
        } catch (error) {
          if (!(error instanceof StaleDataError) || attempt >= tries) throw error;
        }
      }
    },
    /** Archive (support, admin): hidden from lists, every write then refused with 410 player_archived; the ledger is kept. */
    archivePlayer: async (id: string): Promise<PlayerMutation> => unwrap(await api.DELETE("/api/v1/players/{id}", { params: { path: { id } } }), `archive player ${id}`),
    /** Bring an archived player back (admin). */
    unarchivePlayer: (id: string, mutation: MutationOptions = {}) =>
      mutate(`unarchive player ${id}`, mutation, (header) => api.POST("/api/v1/players/{id}/unarchive", { params: { path: { id }, header } })),
    /** Delete a test player (created with a testTag) and its ledger: an admin, or a token with scope test-players. */
    purgeTestPlayer: async (id: string): Promise<PlayerPurge> => unwrap(await api.POST("/api/v1/players/{id}/purge", { params: { path: { id } } }), `purge test player ${id}`),
    createEncounter: (body: EncounterSetup, mutation: MutationOptions = {}) =>
      mutate("create encounter", mutation, (header) => api.POST("/api/v1/combat/encounters", { params: { header }, body })),
    getEncounter: async (id: string): Promise<Encounter> =>
      unwrap(await api.GET("/api/v1/combat/encounters/{id}", { params: { path: { id } } }), `read encounter ${id}`),
    advanceEncounter: (id: string, rounds: number, mutation: MutationOptions = {}) =>
      mutate(`advance encounter ${id}`, mutation, (header) => api.POST("/api/v1/combat/encounters/{id}/rounds", { params: { path: { id }, header }, body: { rounds } })),
    disconnectEncounterPlayer: (id: string, mutation: MutationOptions = {}) =>
      mutate(`disconnect from encounter ${id}`, mutation, (header) => api.POST("/api/v1/combat/encounters/{id}/disconnect", { params: { path: { id }, header } })),
  };
}

export type PnakoticClient = ReturnType<typeof createPnakoticClient>;
