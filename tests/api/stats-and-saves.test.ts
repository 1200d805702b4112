import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { asToken, callJson, database, env, signIn } from "./api-client.ts";

/**
 * Over HTTP: a declared stat shows up in the API and the metrics without a restart; the whole
 * save accepts what GET returned; staff writes are audited whatever the credential.
 */
describe("stats and whole saves over HTTP", () => {
  const service = asToken(env.tokens.service);
  const viewer = asToken(env.tokens.viewerToken);

  it("an admin declares a stat; it is in GET /api/v1/stats, usable at once, ledgered and counted in /api/metrics", async () => {
    const admin = await signIn("admin", env.passwords.admin);
    const key = `hunger${randomUUID().slice(0, 6).replace(/[^a-z0-9]/g, "x")}`;
    const declared = await callJson<{ items: Array<{ key: string; max: number | null }> }>(admin, "PUT", `/api/v1/stats/${key}`, {
      body: { label: "Hunger", min: 0, max: 100, default: 0 },
      headers: { Origin: env.baseUrl },
    });
    expect(declared.status).toBe(200);
    const listed = await callJson<{ items: Array<{ key: string }> }>(service, "GET", "/api/v1/stats");
    expect(listed.body.items.map((stat) => stat.key)).toContain(key);

    const created = await callJson<{ id: string }>(service, "POST", "/api/v1/players", { body: { name: `Hungry ${randomUUID().slice(0, 8)}` }, headers: { "Idempotency-Key": randomUUID() } });
    const changed = await callJson<{ player: { stats: Record<string, number> }; events: Array<{ field: string; before: number; after: number; reason: string }> }>(
      service,
      "POST",
      `/api/v1/players/${created.body.id}/stats`,
      { body: { changes: [{ stat: key, op: "add", value: 150 }] }, headers: { "Idempotency-Key": randomUUID() } },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.player.stats[key]).toBe(100); // clamped at its max
    expect(changed.body.events).toEqual([expect.objectContaining({ field: key, before: 0, after: 100, reason: "stat" })]);

    const metrics = await fetch(`${env.baseUrl}/api/metrics`, { headers: { Authorization: "Bearer scrape-token-for-tests-0123456789" } });
    expect(await metrics.text()).toMatch(new RegExp(`pnakotic_stat_changes_total\\{stat="${key}",reason="stat"\\} 1\\b`));

    // Out of bounds, unknown, non-integer: 422, nothing changed.
    for (const change of [{ stat: key, op: "set", value: 101 }, { stat: "nosuchstat", op: "add", value: 1 }, { stat: key, op: "add", value: 1.5 }]) {
      const refused = await callJson(service, "POST", `/api/v1/players/${created.body.id}/stats`, { body: { changes: [change] }, headers: { "Idempotency-Key": randomUUID() } });
      expect(refused.status).toBe(422);
    }
    const row = database().prepare(`SELECT "version" FROM "Player" WHERE "id" = ?`).get(created.body.id) as { version: number };
    expect(row.version).toBe(2);
  });

  it("GET → change a field → PUT the same JSON back works; a stale one merges (409 with Prefer: merge=none); a taken name gets 409 already_exists", async () => {
    const name = `Roundtrip ${randomUUID().slice(0, 8)}`;
    const created = await callJson<{ id: string }>(service, "POST", "/api/v1/players", { body: { name, experiencePoints: 554 }, headers: { "Idempotency-Key": randomUUID() } });
    const id = created.body.id;
    const read = await callJson<Record<string, unknown>>(service, "GET", `/api/v1/players/${id}`);
    const saved = await callJson<{ player: Record<string, unknown> }>(service, "PUT", `/api/v1/players/${id}`, {
      body: { ...read.body, currentRoomId: "arkham-library" },
      headers: { "If-Match": `"${String(read.body.version)}"` },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.player).toMatchObject({ currentRoomId: "arkham-library", version: 2 });
    // The body's version stands in for If-Match; this one is stale now.
    const stale = await callJson(service, "PUT", `/api/v1/players/${id}`, { body: { ...read.body, experiencePoints: 555 }, headers: { Prefer: "merge=none" } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "stale_version", currentVersion: 2, conflicts: [{ field: "currentRoomId", base: null, yours: null, theirs: "arkham-library", events: [{ reason: "save", actor: expect.any(String) }] }] });
    // Without the preference the same stale body is merged: its XP applied, the room someone else set kept.
    const merged = await callJson<{ player: Record<string, unknown>; merge: unknown }>(service, "PUT", `/api/v1/players/${id}`, { body: { ...read.body, experiencePoints: 555 } });
    expect(merged.status).toBe(200);
    expect(merged.headers.get("etag")).toBe('"3"');
    expect(merged.body.player).toMatchObject({ currentRoomId: "arkham-library", experiencePoints: 555, version: 3 });
    expect(merged.body.merge).toEqual({ baseVersion: 1, fromSave: ["experiencePoints"], keptFromOthers: ["currentRoomId"], combined: [] });
    const saves = await callJson<{ items: Array<{ outcome: string; baseVersion: number }> }>(viewer, "GET", `/api/v1/players/${id}/saves`);
    expect(saves.body.items.map((attempt) => [attempt.outcome, attempt.baseVersion])).toEqual([["merged", 1], ["refused", 1], ["applied", 1]]);
    const refusedEverywhere = await callJson<{ items: Array<{ playerId: string; outcome: string }> }>(viewer, "GET", "/api/v1/saves?outcome=refused&limit=500");
    expect(refusedEverywhere.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ playerId: id, outcome: "refused" })]));
    expect(refusedEverywhere.body.items.every((attempt) => attempt.outcome === "refused")).toBe(true);
    const byName = await callJson<{ items: Array<{ id: string }> }>(service, "GET", `/api/v1/players?name=${encodeURIComponent(name.toLowerCase())}`);
    expect(byName.body.items.map((player) => player.id)).toEqual([id]);
    expect((await callJson<{ items: unknown[] }>(service, "GET", `/api/v1/players?name=${encodeURIComponent(`${name} nobody`)}`)).body.items).toEqual([]);
    // Renaming onto an existing name, in another case.
    const other = await callJson<Record<string, unknown>>(service, "POST", "/api/v1/players", { body: { name: `Other ${randomUUID().slice(0, 8)}` }, headers: { "Idempotency-Key": randomUUID() } });
    const taken = await callJson(service, "PUT", `/api/v1/players/${String(other.body.id)}`, { body: { ...other.body, name: name.toUpperCase() } });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: "already_exists" });
  });

  it("an admin's PUT is audited exactly once", async () => {
    const admin = await signIn("admin", env.passwords.admin);
    const created = await callJson<Record<string, unknown>>(service, "POST", "/api/v1/players", { body: { name: `Audited ${randomUUID().slice(0, 8)}` }, headers: { "Idempotency-Key": randomUUID() } });
    const saved = await callJson(admin, "PUT", `/api/v1/players/${String(created.body.id)}`, {
      body: { ...created.body, health: 5, maxHealth: 120 },
      headers: { "If-Match": '"1"', Origin: env.baseUrl },
    });
    expect(saved.status).toBe(200);
    const audit = database().prepare(`SELECT "actor", "action" FROM "AuditEntry" WHERE "playerId" = ?`).all(String(created.body.id));
    expect(audit).toEqual([{ actor: "admin", action: "player.save" }]);
  });
});
