import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { asToken, call, callJson, createTestPlayer, env, signIn } from "./api-client.ts";
import type { Credentials } from "./api-client.ts";

/**
 * CSV and JSON exports of the ledger, the audit log and the error log: the same rows, with the same
 * filters, as paging through the list API; streamed page by page (more rows than one page here).
 */
const service = () => asToken(env.tokens.service);
let viewer: Credentials;
let support: Credentials;
let admin: Credentials;
beforeAll(async () => {
  viewer = await signIn("viewer", env.passwords.viewer);
  support = await signIn("support", env.passwords.support);
  admin = await signIn("admin", env.passwords.admin);
});

/** Every item of a list route, following nextCursor. */
async function listAll(credentials: Credentials, path: string, query: Record<string, string>): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const search: URLSearchParams = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const { status, body }: { status: number; body: { items: Array<Record<string, unknown>>; nextCursor: string | null } } = await callJson<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>(credentials, "GET", `${path}?${search}`);
    expect(status).toBe(200);
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}

async function download(credentials: Credentials, path: string) {
  const response = await call(credentials, "GET", path);
  return { status: response.status, contentType: response.headers.get("content-type"), disposition: response.headers.get("content-disposition"), text: await response.text() };
}

describe("ledger export", () => {
  let playerId: string;
  beforeAll(async () => {
    playerId = (await createTestPlayer({ maxHealth: 100 })).id;
    // 600 calls (damage stops writing rows at the floor; XP also writes level rows): more rows than one of the export's 500-row pages.
    for (let batch = 0; batch < 60; batch += 1) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, index) => {
          const { status } = await callJson(service(), "POST", `/api/v1/players/${playerId}/${index % 2 === 0 ? "damage" : "experience"}`, { body: { amount: 1 } });
          expect(status).toBe(200);
        }),
      );
    }
  }, 120_000);

  it("JSON holds exactly what paging through GET /events returns", async () => {
    const fromApi = await listAll(viewer, `/api/v1/players/${playerId}/events`, { limit: "1000" });
    expect(fromApi.length).toBeGreaterThan(500);
    const exported = await download(viewer, `/api/v1/players/${playerId}/events/export?format=json`);
    expect(exported.status).toBe(200);
    expect(exported.contentType).toContain("application/json");
    expect(exported.disposition).toMatch(/^attachment; filename="ledger-.+\.json"$/);
    expect(JSON.parse(exported.text)).toEqual(fromApi);
  });

  it("CSV has a header and one row per ledger row, with the filters applied (field, newest first)", async () => {
    const fromApi = await listAll(viewer, `/api/v1/players/${playerId}/events`, { field: "experience", order: "desc", limit: "1000" });
    const exported = await download(viewer, `/api/v1/players/${playerId}/events/export?format=csv&field=experience&order=desc`);
    expect(exported.status).toBe(200);
    expect(exported.contentType).toContain("text/csv");
    const rows = parse(exported.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => [Number(row.id), row.field, Number(row.before), Number(row.after), row.reason])).toEqual(
      fromApi.map((item) => [item.id, item.field, item.before, item.after, item.reason]),
    );
  });

  it("answers 404 problem+json for an unknown player, before any file starts", async () => {
    const { status, headers, body } = await callJson<{ code: string }>(viewer, "GET", `/api/v1/players/does-not-exist/events/export`);
    expect(status).toBe(404);
    expect(headers.get("content-type")).toBe("application/problem+json");
    expect(body.code).toBe("player_not_found");
  });
});

describe("audit export", () => {
  it("matches GET /audit for the same filter and defuses formula-like cells", async () => {
    const { id } = await createTestPlayer();
    const reason = `=HYPERLINK("http://example.invalid","refund") ${Date.now()}`;
    const corrected = await callJson(support, "POST", `/api/v1/players/${id}/health-corrections`, { body: { delta: -1, reason } });
    expect(corrected.status).toBe(200);
    const fromApi = await listAll(support, "/api/v1/audit", { playerId: id });
    expect(fromApi).toHaveLength(1);
    const json = await download(support, `/api/v1/audit/export?format=json&playerId=${id}`);
    expect(JSON.parse(json.text)).toEqual(fromApi);
    const csv = parse((await download(support, `/api/v1/audit/export?playerId=${id}`)).text, { columns: true }) as Array<Record<string, string>>;
    expect(csv).toHaveLength(1);
    expect(csv[0]!.reason).toBe(`'${reason}`);
  });

  it("is refused to game masters, like the audit list", async () => {
    expect((await call(viewer, "GET", "/api/v1/audit/export")).status).toBe(403);
  });
});

describe("error-log export", () => {
  const marker = `export-test-${Date.now()}`;
  beforeAll(() => {
    // The stack names no file:line: other API tests (hostile-input) share this error log and treat
    // a file path in any response as a leak.
    const db = new Database(env.databaseFile);
    try {
      const insert = db.prepare(`INSERT INTO "ErrorLogEntry" ("at", "level", "module", "message", "stack") VALUES (?, 'error', ?, 'boom', 'Error: boom\n    at handler (secret-path)')`);
      for (let i = 0; i < 3; i += 1) insert.run(new Date().toISOString().replace("Z", "+00:00"), marker);
    } finally {
      db.close();
    }
  });

  it("matches GET /errors for the module filter; stack traces only for admins", async () => {
    const forAdmin = JSON.parse((await download(admin, `/api/v1/errors/export?format=json&module=${marker}`)).text) as Array<Record<string, unknown>>;
    expect(forAdmin).toEqual(await listAll(admin, "/api/v1/errors", { module: marker }));
    expect(forAdmin).toHaveLength(3);
    expect(forAdmin[0]!.stack).toContain("secret-path");
    const forViewer = JSON.parse((await download(viewer, `/api/v1/errors/export?format=json&module=${marker}`)).text) as Array<Record<string, unknown>>;
    expect(forViewer).toHaveLength(3);
    expect(forViewer.every((entry) => entry.stack === null)).toBe(true);
    const csv = (await download(viewer, `/api/v1/errors/export?module=${marker}`)).text;
    expect(csv).not.toContain("secret-path");
  });

  it("filters the list and the export by request id (an entry's request links there)", async () => {
    const db = new Database(env.databaseFile);
    try {
      db.prepare(`INSERT INTO "ErrorLogEntry" ("at", "level", "module", "message", "requestId") VALUES (?, 'error', ?, 'one request', ?)`).run(new Date().toISOString().replace("Z", "+00:00"), marker, `${marker}-req`);
    } finally {
      db.close();
    }
    const listed = await listAll(viewer, "/api/v1/errors", { requestId: `${marker}-req` });
    expect(listed.map((entry) => entry.message)).toEqual(["one request"]);
    expect(JSON.parse((await download(viewer, `/api/v1/errors/export?format=json&requestId=${marker}-req`)).text)).toEqual(listed);
  });
});
