import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { asToken, callJson, createTestPlayer, env, signIn } from "./api-client.ts";
import type { Credentials } from "./api-client.ts";

/** What each role is told and shown at the edges of its rights (issue 16, item 7). */
let viewer: Credentials;
let support: Credentials;
let admin: Credentials;
beforeAll(async () => {
  viewer = await signIn("viewer", env.passwords.viewer);
  support = await signIn("support", env.passwords.support);
  admin = await signIn("admin", env.passwords.admin);
});

describe("403 texts", () => {
  it("read as a sentence naming the route and who may call it", async () => {
    const player = await createTestPlayer();
    const { status, body } = await callJson<{ code: string; detail: string }>(viewer, "POST", `/api/v1/players/${player.id}/damage`, { body: { amount: 1 } });
    expect(status).toBe(403);
    expect(body.code).toBe("forbidden");
    expect(body.detail).toBe("The viewer (game master) role may not call POST /api/v1/players/{id}/damage; it is open to the service role.");
  });

  it("list every role a route is open to", async () => {
    const { status, body } = await callJson<{ detail: string }>(viewer, "GET", "/api/v1/audit");
    expect(status).toBe(403);
    expect(body.detail).toBe("The viewer (game master) role may not call GET /api/v1/audit; it is open to the support and admin roles.");
  });
});

describe("stack traces in the error log", () => {
  const marker = `stack-redaction-${randomUUID()}`;
  const stack = `Error: ${marker}\n    at damagePlayer (/srv/pnakotic/lib/persistence/player-write.ts:42:7)`;
  beforeAll(() => {
    const db = new Database(env.databaseFile);
    try {
      db.prepare(`INSERT INTO "ErrorLogEntry" ("at", "level", "module", "message", "stack", "requestId") VALUES (?, 'error', 'persistence', ?, ?, 'req-stack-test')`).run(
        new Date().toISOString().replace("Z", "+00:00"),
        marker,
        stack,
      );
    } finally {
      db.close();
    }
  });

  async function entrySeenBy(credentials: Credentials) {
    const { status, body } = await callJson<{ items: Array<{ message: string; stack: string | null; requestId: string | null }> }>(credentials, "GET", "/api/v1/errors?limit=200");
    expect(status).toBe(200);
    const entry = body.items.find((item) => item.message === marker);
    expect(entry, "the inserted entry is listed").toBeDefined();
    return entry!;
  }

  it("are listed inside since/until only (the console's custom range)", async () => {
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const before = await callJson<{ items: Array<{ message: string }> }>(admin, "GET", `/api/v1/errors?limit=200&until=${encodeURIComponent(hourAgo)}`);
    expect(before.status).toBe(200);
    expect(before.body.items.some((item) => item.message === marker)).toBe(false);
    const around = await callJson<{ items: Array<{ message: string }> }>(admin, "GET", `/api/v1/errors?limit=200&since=${encodeURIComponent(hourAgo)}&until=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(around.body.items.some((item) => item.message === marker)).toBe(true);
  });

  it("are shown to admins", async () => {
    expect((await entrySeenBy(admin)).stack).toBe(stack);
  });

  it("are withheld by the server from game masters, support staff and tokens; the rest of the entry stays", async () => {
    for (const credentials of [viewer, support, asToken(env.tokens.viewerToken)]) {
      const entry = await entrySeenBy(credentials);
      expect(entry.stack).toBeNull();
      expect(entry.requestId).toBe("req-stack-test");
    }
  });
});
