import Database from "better-sqlite3";
import { inject } from "vitest";
import { createPnakoticClient } from "../../clients/typescript/src/client.ts";
import type { Player, PnakoticClient } from "../../clients/typescript/src/client.ts";

/**
 * Helpers for the API tests: the typed client (@pnakotic/client, generated from the OpenAPI
 * document, so every test that uses it proves the document against the server), a raw `call` for
 * requests the document must not allow (hostile input, wrong methods, missing headers), sign-in,
 * and a plain DB connection for assertions.
 */
export const env = inject("api");

export type Credentials = { kind: "anonymous" } | { kind: "token"; token: string } | { kind: "session"; cookie: string };

export const anonymous: Credentials = { kind: "anonymous" };
export const asToken = (token: string): Credentials => ({ kind: "token", token });

/** The typed client acting as `credentials`. */
export function apiClient(credentials: Credentials): PnakoticClient {
  if (credentials.kind === "token") return createPnakoticClient({ baseUrl: env.baseUrl, token: credentials.token, attempts: 1 });
  if (credentials.kind === "session") return createPnakoticClient({ baseUrl: env.baseUrl, cookie: credentials.cookie, attempts: 1 });
  return createPnakoticClient({ baseUrl: env.baseUrl, attempts: 1 });
}

export async function signIn(username: string, password: string): Promise<Credentials> {
  const { response, error } = await apiClient(anonymous).api.POST("/api/v1/auth/session", {
    body: { username, password },
    headers: { Origin: env.baseUrl },
  });
  if (response.status !== 200) throw new Error(`sign-in as ${username} failed: ${response.status} ${JSON.stringify(error)}`);
  const cookie = response.headers.get("set-cookie")!.split(";")[0]!;
  return { kind: "session", cookie };
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function call(credentials: Credentials, method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}) };
  if (credentials.kind === "token") headers.Authorization = `Bearer ${credentials.token}`;
  if (credentials.kind === "session") {
    headers.Cookie = credentials.cookie;
    // What a browser on the dashboard sends; CSRF tests leave it out or change it.
    headers.Origin = env.baseUrl;
  }
  Object.assign(headers, options.headers);
  return fetch(`${env.baseUrl}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  });
}

export async function callJson<T = Record<string, unknown>>(credentials: Credentials, method: string, path: string, options: CallOptions = {}) {
  const response = await call(credentials, method, path, options);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
}

let raw: Database.Database | undefined;
/** Read-only connection to the server's database file: assertions never go through the app. */
export function database(): Database.Database {
  raw ??= new Database(env.databaseFile, { readonly: true });
  return raw;
}

export function databaseSnapshot() {
  const db = database();
  return {
    players: db.prepare(`SELECT "id", "name", "health", "maxHealth", "experiencePoints", "level", "version", "attributes", "inventory" FROM "Player" ORDER BY "id"`).all(),
    events: db.prepare(`SELECT COUNT(*) AS n FROM "PlayerEvent"`).get(),
    audit: db.prepare(`SELECT COUNT(*) AS n FROM "AuditEntry"`).get(),
    tokens: db.prepare(`SELECT COUNT(*) AS n FROM "ApiToken"`).get(),
  };
}

let counter = 0;
export async function createTestPlayer(overrides: Record<string, unknown> = {}): Promise<Player> {
  counter += 1;
  // Overrides may be deliberately odd (hostile-input tests); the server is the judge of what is valid.
  const body = { name: `player-${process.pid}-${Date.now()}-${counter}`, ...overrides } as Parameters<PnakoticClient["createPlayer"]>[0];
  return apiClient(asToken(env.tokens.service)).createPlayer(body);
}
