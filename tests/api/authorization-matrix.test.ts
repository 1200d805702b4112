import { createHash, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../lib/auth/roles.ts";
import { routes } from "../../lib/api/routes.ts";
import type { RouteSpec } from "../../lib/api/routes.ts";
import { anonymous, asToken, call, callJson, createTestPlayer, databaseSnapshot, env, signIn } from "./api-client.ts";
import { createEncounter } from "../helpers/combat-fixtures.ts";
import { signInFrom } from "../helpers/request-from-address.ts";
import type { Credentials } from "./api-client.ts";

/**
 * Generated from the route table: every route × every kind of caller. Allowed callers succeed
 * with the route's documented status; everyone else gets 401/403 and the database is unchanged.
 */
type CallerKind = "anonymous" | "viewer" | "support" | "admin" | "service-token" | "viewer-token" | "revoked-token" | "expired-session" | "disabled-user-session";

const callerRoles: Record<CallerKind, { role: Role | null; via: "session" | "token" | null; valid: boolean }> = {
  anonymous: { role: null, via: null, valid: false },
  viewer: { role: "viewer", via: "session", valid: true },
  support: { role: "support", via: "session", valid: true },
  admin: { role: "admin", via: "session", valid: true },
  "service-token": { role: "service", via: "token", valid: true },
  "viewer-token": { role: "viewer", via: "token", valid: true },
  "revoked-token": { role: "service", via: "token", valid: false },
  "expired-session": { role: "admin", via: "session", valid: false },
  "disabled-user-session": { role: "admin", via: "session", valid: false },
};

function expectedOutcome(route: RouteSpec, kind: CallerKind): "allowed" | 401 | 403 {
  if (route.access === "public") return "allowed";
  const caller = callerRoles[kind];
  if (!caller.valid) return 401;
  if (route.access === "signed-in") return caller.via === "session" ? "allowed" : 403;
  if (route.access === "metrics") return caller.role === "admin" ? "allowed" : 403;
  return route.access.roles.includes(caller.role!) ? "allowed" : 403;
}

/** Inserts a session row straight into the database (expired, or for a disabled user). */
function forgeSession(username: string, expiresAt: Date): Credentials {
  const value = `pks_${randomBytes(24).toString("base64url")}`;
  const db = new Database(env.databaseFile);
  try {
    const user = db.prepare(`SELECT "id" FROM "User" WHERE "username" = ?`).get(username) as { id: string };
    db.prepare(`INSERT INTO "Session" ("id", "tokenHash", "userId", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?)`).run(
      randomBytes(16).toString("hex"),
      createHash("sha256").update(value).digest("hex"),
      user.id,
      new Date().toISOString().replace("Z", "+00:00"),
      expiresAt.toISOString().replace("Z", "+00:00"),
    );
  } finally {
    db.close();
  }
  return { kind: "session", cookie: `pnakotic_session=${value}` };
}

async function credentialsFor(kind: CallerKind): Promise<Credentials> {
  switch (kind) {
    case "anonymous":
      return anonymous;
    case "viewer":
      return signIn("viewer", env.passwords.viewer);
    case "support":
      return signIn("support", env.passwords.support);
    case "admin":
      return signIn("admin", env.passwords.admin);
    case "service-token":
      return asToken(env.tokens.service);
    case "viewer-token":
      return asToken(env.tokens.viewerToken);
    case "revoked-token":
      return asToken(env.tokens.revoked);
    case "expired-session":
      return forgeSession("admin", new Date(Date.now() - 60_000));
    case "disabled-user-session":
      return forgeSession("disabled", new Date(Date.now() + 3_600_000));
  }
}

/** A valid request for each route, on a fresh player where it needs one. */
async function validRequest(route: RouteSpec): Promise<{ path: string; body?: unknown; headers?: Record<string, string> }> {
  // Combat routes' {id} is an encounter: a fresh one (on a fresh player), made with the service token.
  const needsEncounter = route.path.startsWith("/api/v1/combat/encounters/{id}");
  const needsPlayer = route.path.includes("{id}") || route.operationId === "createEncounter" || route.operationId === "applyChanges";
  // Only test players can be purged (lib/persistence/purge-test-player.ts).
  const player = needsPlayer ? await createTestPlayer(route.operationId === "purgeTestPlayer" ? { testTag: "matrix" } : {}) : undefined;
  const encounter = needsEncounter ? await createEncounter({ baseUrl: env.baseUrl, token: env.tokens.service }, { playerId: player!.id }) : undefined;
  const path = route.path.replace("{id}", encounter?.id ?? player?.id ?? "");
  switch (route.operationId) {
    case "createEncounter":
      return { path, body: { playerId: player!.id, npc: "dr-francis-morgan" } };
    case "advanceEncounter":
      return { path, body: { rounds: 1 } };
    case "createPlayer":
      return { path, body: { name: `matrix-${randomBytes(6).toString("hex")}` } };
    case "savePlayer":
      return {
        path,
        body: { name: `matrix-${randomBytes(6).toString("hex")}`, currentRoomId: null, professionId: null, experiencePoints: 10, health: 50, maxHealth: 100, attributes: {}, inventory: [], statusEffects: [] },
        headers: { "If-Match": '"1"' },
      };
    case "damagePlayer":
    case "healPlayer":
    case "gainExperience":
      return { path, body: { amount: 5 } };
    case "respawnPlayer":
      return { path, body: {} };
    case "unarchivePlayer": {
      // Something to bring back: archived by support first.
      const archived = await call(await signIn("support", env.passwords.support), "DELETE", path.replace(/\/unarchive$/, ""));
      expect(archived.status).toBe(200);
      return { path };
    }
    case "correctHealth":
      return { path, body: { delta: -5, reason: "matrix test" } };
    case "updatePlayerStats":
      return { path, body: { changes: [{ stat: "experience", op: "add", value: 1 }], reason: "matrix test" } };
    case "applyChanges":
      // Staff may batch only with a reason, and only what they may do alone (stats corrections, respawns).
      return { path, body: { mode: "atomic", reason: "matrix test", changes: [{ op: "stats", playerId: player!.id, changes: [{ stat: "experience", op: "add", value: 1 }] }] } };
    case "getPlayerStateAt":
    case "previewRestore":
      return { path: `${path}?at=${encodeURIComponent(new Date().toISOString())}` };
    case "restorePlayer":
    case "revertChange":
    case "previewRevert": {
      // Something to undo: one damage (version 2) made by the game server.
      const damage = await callJson<{ event: { changeId: string } }>(asToken(env.tokens.service), "POST", `${path.replace(/\/(restore|revert|revert-preview)$/, "")}/damage`, { body: { amount: 5 } });
      if (route.operationId === "previewRevert") return { path: `${path}?changeId=${damage.body.event.changeId}` };
      if (route.operationId === "revertChange") return { path, body: { changeId: damage.body.event.changeId, reason: "matrix test" }, headers: { "If-Match": '"2"' } };
      return { path, body: { at: player!.createdAt, reason: "matrix test" }, headers: { "If-Match": '"2"' } };
    }
    case "declareStat":
      return { path: path.replace("{key}", "matrixStat"), body: { label: "Matrix stat", min: 0, max: 10, default: 0 } };
    case "declareGameRules":
      return { path, body: {} }; // today's defaults: the other API tests keep their rules

    case "signIn":
      return { path, body: { username: "viewer", password: env.passwords.viewer } };
    default:
      return { path };
  }
}

const kinds = Object.keys(callerRoles) as CallerKind[];
const cases = (Object.values(routes) as RouteSpec[]).flatMap((route) => kinds.map((kind) => ({ route, kind, expected: expectedOutcome(route, kind) })));

describe("authorization matrix (generated from lib/api/routes.ts)", () => {
  beforeAll(async () => {
    // Make sure the whole matrix is generated: every route, every caller kind.
    expect(cases).toHaveLength(Object.keys(routes).length * kinds.length);
  });

  it.each(cases.map((testCase) => [`${testCase.route.method} ${testCase.route.path}`, testCase.kind, testCase.expected, testCase] as const))(
    "%s as %s → %s",
    async (_name, kind, expected, { route }) => {
      const request = await validRequest(route);
      const credentials = await credentialsFor(kind);
      const before = databaseSnapshot();
      const response = await call(credentials, route.method, request.path, { body: request.body, headers: request.headers });
      if (expected === "allowed" && route.response.contentType === "text/event-stream") {
        // A stream never ends by itself: check the status, then hang up.
        expect(response.status).toBe(route.response.status);
        await response.body?.cancel();
      } else if (expected === "allowed") {
        expect(response.status, await response.clone().text()).toBe(route.response.status);
      } else {
        expect(response.status, await response.clone().text()).toBe(expected);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        // Sessions created by sign-in are not player state; compare what callers could change.
        expect(databaseSnapshot()).toEqual(before);
      }
    },
  );
});

describe("CSRF: cookie-authenticated mutations must come from this origin", () => {
  it("refuses a cross-origin or Origin-less correction from a signed-in support user", async () => {
    const support = await signIn("support", env.passwords.support);
    const { id } = await createTestPlayer();
    const before = databaseSnapshot();
    for (const origin of ["https://evil.example", undefined]) {
      const headers: Record<string, string> = origin ? { Origin: origin } : {};
      const response = await fetch(`${env.baseUrl}/api/v1/players/${id}/health-corrections`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Cookie: (support as { cookie: string }).cookie, ...headers },
        body: JSON.stringify({ delta: -50, reason: "csrf attempt" }),
      });
      expect(response.status).toBe(403);
    }
    expect(databaseSnapshot()).toEqual(before);
  });
});

describe("sign-in", () => {
  it("does not reveal whether the user exists, and rate-limits failures", async () => {
    // From its own loopback address: the lockout must not reach the other tests' clients.
    const attempt = async (username: string, password: string) => signInFrom(env.baseUrl, "127.0.0.7", username, password);
    const unknown = JSON.parse((await attempt("nobody", "wrong-password")).body);
    const wrong = JSON.parse((await attempt("admin", "wrong-password")).body);
    expect(unknown.detail).toBe(wrong.detail);
    for (let i = 0; i < 4; i += 1) await attempt("admin", "wrong-password");
    const limited = await attempt("admin", env.passwords.admin);
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toMatch(/^\d+$/);
  });

  it("sets an HttpOnly SameSite session cookie and signs out", async () => {
    const response = await fetch(`${env.baseUrl}/api/v1/auth/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: env.baseUrl },
      body: JSON.stringify({ username: "viewer", password: env.passwords.viewer }),
    });
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const session: Credentials = { kind: "session", cookie: cookie.split(";")[0]! };
    expect((await call(session, "GET", "/api/v1/auth/session")).status).toBe(200);
    expect((await call(session, "DELETE", "/api/v1/auth/session")).status).toBe(204);
    expect((await call(session, "GET", "/api/v1/auth/session")).status).toBe(401);
  });
});

describe("revocation from another process", () => {
  it("a token revoked by the admin CLI stops working within AUTH_CACHE_TTL_MS (2 s)", async () => {
    const { createPrismaClient } = await import("../../lib/persistence/prisma-client.ts");
    const { parseConfig } = await import("../../lib/config.ts");
    const { createApiToken, revokeApiToken } = await import("../../lib/auth/staff-users.ts");
    const db = createPrismaClient(parseConfig({ DATABASE_URL: `file:${env.databaseFile}` }));
    try {
      const name = `revoke-me-${randomBytes(4).toString("hex")}`;
      const { token } = await createApiToken(db, { name, role: "service" });
      expect((await call(asToken(token), "GET", "/api/v1/players?limit=1")).status).toBe(200);
      await revokeApiToken(db, name);
      const revokedAt = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - revokedAt < 5_000) {
        status = (await call(asToken(token), "GET", "/api/v1/players?limit=1")).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe(401);
      expect(Date.now() - revokedAt).toBeLessThan(2_500);
    } finally {
      await db.$disconnect();
    }
  });
});
