import { fileURLToPath } from "node:url";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { routes } from "../../lib/api/routes.ts";
import { anonymous, asToken, call, callJson, createTestPlayer, database, env, signIn } from "./api-client.ts";

const service = asToken(env.tokens.service);

describe("the seed scenario over HTTP", () => {
  it("damage ×3, stale whole-object save refused with Prefer: merge=none, XP +1: ends at 70 / 555 and the ledger shows four changes", async () => {
    const created = await createTestPlayer({ maxHealth: 100, experiencePoints: 554 });
    const read = await callJson<{ version: number; health: number }>(service, "GET", `/api/v1/players/${created.id}`);
    expect(read.headers.get("etag")).toBe('"1"');
    for (let round = 0; round < 3; round += 1) {
      const hit = await callJson<{ player: { health: number } }>(service, "POST", `/api/v1/players/${created.id}/damage`, {
        body: { amount: 10, damageType: "melee", source: "npc:dr-francis-morgan" },
        headers: { "X-Request-Id": `combat-${round}` },
      });
      expect(hit.status).toBe(200);
    }
    // The old bug's XP path, strict: a whole save of the copy read before combat → 409, nothing applied,
    // and the answer names the field changed since, with the three damage events.
    const stale = await callJson<{ conflicts: Array<{ field: string; events: Array<{ reason: string }> }> }>(service, "PUT", `/api/v1/players/${created.id}`, {
      body: { ...pickSaveFields(read.body), experiencePoints: 555 },
      headers: { "If-Match": '"1"', Prefer: "merge=none" },
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toBe("application/problem+json");
    expect(stale.body).toMatchObject({ code: "stale_version", expectedVersion: 1, currentVersion: 4 });
    expect(stale.body.conflicts.map((conflict) => [conflict.field, conflict.events.map((event) => event.reason)])).toEqual([["health", ["damage", "damage", "damage"]]]);
    const xp = await callJson<{ player: { health: number; experiencePoints: number }; event: { before: number; after: number } }>(
      service,
      "POST",
      `/api/v1/players/${created.id}/experience`,
      { body: { amount: 1, source: "npc:dr-francis-morgan" } },
    );
    expect(xp.status).toBe(200);
    expect(xp.body.player).toMatchObject({ health: 70, experiencePoints: 555 });
    expect(xp.headers.get("etag")).toBe('"5"');

    expect(database().prepare(`SELECT "health", "experiencePoints" FROM "Player" WHERE "id" = ?`).get(created.id)).toEqual({ health: 70, experiencePoints: 555 });
    const events = await callJson<{ items: Array<{ field: string; before: number; after: number; actor: string; requestId: string }> }>(
      service,
      "GET",
      `/api/v1/players/${created.id}/events`,
    );
    expect(events.body.items.map(({ field, before, after }) => [field, before, after])).toEqual([
      ["health", 100, 90],
      ["health", 90, 80],
      ["health", 80, 70],
      ["experience", 554, 555],
    ]);
    expect(events.body.items[0]).toMatchObject({ actor: "test-game-server", requestId: "combat-0" });
  });
});

function pickSaveFields(player: Record<string, unknown>) {
  const { name, currentRoomId, professionId, experiencePoints, health, maxHealth, attributes, inventory, statusEffects } = player;
  return { name, currentRoomId, professionId, experiencePoints, health, maxHealth, attributes, inventory, statusEffects };
}

describe("HTTP semantics", () => {
  it("GET a player: ETag and X-Cache miss then hit", async () => {
    const { id } = await createTestPlayer();
    const first = await call(service, "GET", `/api/v1/players/${id}`);
    const second = await call(service, "GET", `/api/v1/players/${id}`);
    expect([first.headers.get("x-cache"), second.headers.get("x-cache")]).toEqual(["miss", "hit"]);
    expect(second.headers.get("etag")).toBe('"1"');
    expect((await second.json()).status).toBe("alive");
  });

  it("PUT: 428 without If-Match, 200 with the current version", async () => {
    const { id } = await createTestPlayer();
    const { body: player } = await callJson(service, "GET", `/api/v1/players/${id}`);
    const missing = await callJson(service, "PUT", `/api/v1/players/${id}`, { body: pickSaveFields(player) });
    expect(missing.status).toBe(428);
    expect(missing.body).toMatchObject({ code: "precondition_required" });
    const saved = await callJson<{ player: { version: number; currentRoomId: string } }>(service, "PUT", `/api/v1/players/${id}`, {
      body: { ...pickSaveFields(player), currentRoomId: "r'lyeh" },
      headers: { "If-Match": '"1"' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.player).toMatchObject({ version: 2, currentRoomId: "r'lyeh" });
  });

  it.each([
    ["malformed JSON", { rawBody: "{not json", headers: { "Content-Type": "application/json" } }, 400, "malformed_json"],
    ["a wrong content type", { rawBody: "amount=5", headers: { "Content-Type": "application/x-www-form-urlencoded" } }, 415, "unsupported_media_type"],
    ["an oversized body", { rawBody: JSON.stringify({ amount: 1, source: "x".repeat(70_000) }), headers: { "Content-Type": "application/json" } }, 413, "payload_too_large"],
    ["an invalid value", { body: { amount: 0 } }, 422, "invalid_input"],
    ["an unknown field", { body: { amount: 1, health: 100 } }, 422, "invalid_input"],
  ])("damage with %s → problem+json with the right status, nothing changed", async (_label, options, status, code) => {
    const { id } = await createTestPlayer();
    const response = await callJson(service, "POST", `/api/v1/players/${id}/damage`, options);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body).toMatchObject({ status, code, type: `urn:pnakotic:problem:${code}` });
    expect(response.body.requestId).toBe(response.headers.get("x-request-id"));
    expect(database().prepare(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`).get(id)).toEqual({ health: 100, version: 1 });
  });

  it("404 for an unknown player, with field paths on 422", async () => {
    const missing = await callJson(service, "POST", "/api/v1/players/no-such-player/damage", { body: { amount: 1 } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "player_not_found" });
    const invalid = await callJson(service, "POST", "/api/v1/players", { body: { name: "", maxHealth: -1 } });
    expect(invalid.status).toBe(422);
    expect((invalid.body.errors as Array<{ path: string }>).map((issue) => issue.path).sort()).toEqual(["maxHealth", "name"]);
  });

  it("healing the dead is 422 player_dead; respawn brings them back", async () => {
    const { id } = await createTestPlayer();
    await call(service, "POST", `/api/v1/players/${id}/damage`, { body: { amount: 500 } });
    const heal = await callJson(service, "POST", `/api/v1/players/${id}/heal`, { body: { amount: 10 } });
    expect(heal).toMatchObject({ status: 422, body: { code: "player_dead" } });
    const respawn = await callJson<{ player: { health: number; status: string } }>(service, "POST", `/api/v1/players/${id}/respawn`);
    expect(respawn.body.player).toMatchObject({ health: 100, status: "alive" });
  });

  it("support corrections: audited, If-Match honoured (409 with the current version)", async () => {
    const support = await signIn("support", env.passwords.support);
    const { id } = await createTestPlayer();
    const corrected = await callJson<{ player: { health: number; version: number } }>(support, "POST", `/api/v1/players/${id}/health-corrections`, {
      body: { health: 55, reason: "ticket #1" },
      headers: { "If-Match": '"1"' },
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.player).toMatchObject({ health: 55, version: 2 });
    const stale = await callJson(support, "POST", `/api/v1/players/${id}/health-corrections`, {
      body: { health: 60, reason: "ticket #2" },
      headers: { "If-Match": '"1"' },
    });
    expect(stale).toMatchObject({ status: 409, body: { code: "stale_version", currentVersion: 2 } });
    const audit = await callJson<{ items: Array<{ actor: string; action: string; reason: string; playerId: string }> }>(support, "GET", `/api/v1/audit?playerId=${id}`);
    expect(audit.body.items).toEqual([expect.objectContaining({ actor: "support", action: "player.health_correction", reason: "ticket #1" })]);
  });

  it("echoes a caller's X-Request-Id and writes it to the ledger", async () => {
    const { id } = await createTestPlayer();
    const response = await call(service, "POST", `/api/v1/players/${id}/damage`, { body: { amount: 1 }, headers: { "X-Request-Id": "trace-abc-123" } });
    expect(response.headers.get("x-request-id")).toBe("trace-abc-123");
    expect(database().prepare(`SELECT "requestId" FROM "PlayerEvent" WHERE "playerId" = ?`).get(id)).toEqual({ requestId: "trace-abc-123" });
  });
});

describe("Idempotency-Key", () => {
  it("the same damage request sent 5 times concurrently with one key is applied once", async () => {
    const { id } = await createTestPlayer();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(service, "POST", `/api/v1/players/${id}/damage`, { body: { amount: 7 }, headers: { "Idempotency-Key": `key-${id}` } }),
      ),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.filter((response) => response.headers.get("idempotent-replayed") === "true")).toHaveLength(4);
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(database().prepare(`SELECT "health", "version" FROM "Player" WHERE "id" = ?`).get(id)).toEqual({ health: 93, version: 2 });
    expect(database().prepare(`SELECT COUNT(*) AS n FROM "PlayerEvent" WHERE "playerId" = ?`).get(id)).toEqual({ n: 1 });
  });

  it("the same key with a different body is 422 and applies nothing", async () => {
    const { id } = await createTestPlayer();
    await call(service, "POST", `/api/v1/players/${id}/damage`, { body: { amount: 7 }, headers: { "Idempotency-Key": `other-${id}` } });
    const reused = await callJson(service, "POST", `/api/v1/players/${id}/damage`, { body: { amount: 8 }, headers: { "Idempotency-Key": `other-${id}` } });
    expect(reused).toMatchObject({ status: 422, body: { code: "idempotency_key_reused" } });
    expect(database().prepare(`SELECT "health" FROM "Player" WHERE "id" = ?`).get(id)).toEqual({ health: 93 });
  });
});

describe("OpenAPI document", () => {
  it("validates as OpenAPI 3.1 and lists every route of the contract and of app/api", async () => {
    const { status, body } = await callJson<{ paths: Record<string, Record<string, unknown>> }>(anonymous, "GET", "/api/openapi.json");
    expect(status).toBe(200);
    const result = await new Validator().validate(body as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = Object.entries(body.paths).flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`));
    expect(documented.sort()).toEqual(Object.values(routes).map((route) => `${route.method} ${route.path}`).sort());

    // Every route file under app/api is in the contract (and so documented).
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name === "route.ts") files.push(full);
      }
    };
    const appDir = fileURLToPath(new URL("../../app/", import.meta.url));
    walk(path.join(appDir, "api"));
    const filePaths = files.map((file) => "/" + path.relative(appDir, path.dirname(file)).replace(/\[(\w+)\]/g, "{$1}"));
    for (const filePath of filePaths) expect(Object.keys(body.paths)).toContain(filePath);
  });
});

describe("Prometheus metrics", () => {
  it("needs the scrape token or an admin, and exposes the documented names without player ids", async () => {
    expect((await call(anonymous, "GET", "/api/metrics")).status).toBe(401);
    expect((await call(asToken(env.tokens.viewerToken), "GET", "/api/metrics")).status).toBe(403);
    const { id } = await createTestPlayer();
    await call(service, "GET", `/api/v1/players/${id}`);
    const response = await call(asToken("scrape-token-for-tests-0123456789"), "GET", "/api/metrics");
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const name of [
      'pnakotic_player_cache_gets_total{result="hit"}',
      'pnakotic_player_cache_gets_total{result="miss"}',
      'pnakotic_player_cache_invalidations_total{cause="write"}',
      "pnakotic_player_cache_evictions_total",
      "pnakotic_player_cache_entries",
      "pnakotic_write_conflicts_total",
      'pnakotic_persistence_errors_total{operation="damage"}',
      'pnakotic_http_request_duration_seconds_bucket{le="0.001",method="GET",route="/api/v1/players/{id}",status="200"}',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain(id);
    const admin = await signIn("admin", env.passwords.admin);
    expect((await call(admin, "GET", "/api/metrics")).status).toBe(200);
  });
});
