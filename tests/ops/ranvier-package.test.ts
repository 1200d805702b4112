import { spawn } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { createApiToken } from "../../lib/auth/staff-users.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { startAppServer } from "../helpers/app-server.ts";
import { runTool } from "../helpers/external-tool.ts";
import { installPackedPackages } from "../helpers/packed-package.ts";
import { postgresReachable, provisionDatabase } from "../helpers/provision-database.ts";

interface Target {
  baseUrl: string;
  serviceToken: string;
  adminToken: string;
}
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let game: { dir: string; remove: () => void };

beforeAll(async () => {
  // The game's folder: ranvier@3.0.6 from the registry, @pnakotic/ranvier and @pnakotic/client from their tarballs.
  game = await installPackedPackages([path.join(ROOT, "clients/typescript"), path.join(ROOT, "clients/ranvier")], ["ranvier@3.0.6"]);
  for (const script of ["game-state.cjs", "seed-story.cjs", "concurrent-fight.cjs", "kill-restart.cjs"]) copyFileSync(path.join(ROOT, "tests/ops/ranvier", script), path.join(game.dir, script));
}, 400_000);
afterAll(() => game?.remove());

const api = async <T>(env: Target, route: string, token: string, init: RequestInit = {}): Promise<T> => {
  const response = await fetch(`${env.baseUrl}${route}`, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers } });
  if (!response.ok) throw new Error(`${route}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

it("@pnakotic/ranvier's types check strictly in a CommonJS TypeScript consumer (skipLibCheck off, Node's types only)", async () => {
  writeFileSync(path.join(game.dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", target: "es2022", lib: ["es2023", "dom"], types: [], noEmit: true, skipLibCheck: false }, files: ["typed-game.cts"] }));
  writeFileSync(path.join(game.dir, "typed-game.cts"), [
    `import ranvier = require("@pnakotic/ranvier");`,
    `const pnakotic: ranvier.PnakoticRanvier = ranvier.createPnakoticRanvier({ baseUrl: "http://127.0.0.1:1", token: "t", attributeMap: { health: "health", stats: { mana: "mana" } } });`,
    `pnakotic.events.on("refused", (refusal: ranvier.Refusal) => void refusal.code);`,
    `void pnakotic.dataSource.update({}, "ithaqua", {}).then((outcome) => (outcome.ok ? outcome.player : null));`,
  ].join("\n"));
  // Its declarations import node:events, so tsc gets Node's types (from the repository); nothing else.
  const check = await runTool(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--typeRoots", path.join(ROOT, "node_modules/@types"), "--types", "node"], { cwd: game.dir, timeoutMs: 120_000 });
  expect(check.code, check.stdout + check.stderr).toBe(0);
}, 180_000);

// The ops server (SQLite), and a server of its own on a fresh PostgreSQL database.
const pgAvailable = await postgresReachable();
type StartTarget = () => Promise<{ env: Target; stop: () => Promise<void> }>;
const targets: Array<[string, StartTarget]> = [["SQLite", async () => ({ env: inject("ops"), stop: async () => undefined })]];
if (pgAvailable) targets.push(["PostgreSQL", startPostgresTarget]);

async function startPostgresTarget(): Promise<{ env: Target; stop: () => Promise<void> }> {
  const database = await provisionDatabase("postgresql");
  const db = createPrismaClient(parseConfig({ DATABASE_URL: database.url }));
  const { token: adminToken } = await createApiToken(db, { name: "ranvier-operator", role: "admin" });
  await db.$disconnect();
  const server = await startAppServer({ env: { DATABASE_URL: database.url, INTEGRITY_CHECK_INTERVAL_MS: "0" } });
  return {
    env: { baseUrl: server.baseUrl, serviceToken: database.serviceToken, adminToken },
    stop: async () => {
      await server.stop();
      await database.remove();
    },
  };
}

/**
 * A real integrity run's findings about these players. The ops server is shared: another file
 * (prometheus.test.ts) breaks a player outside the app on purpose, so findings are filtered to ours.
 */
async function integrityFindingsFor(env: Target, playerIds: string[]): Promise<unknown[]> {
  const check = await api<{ findings: Array<{ playerId: string | null }> }>(env, "/api/v1/integrity/runs", env.adminToken, { method: "POST", body: "{}" });
  return check.findings.filter((finding) => finding.playerId !== null && playerIds.includes(finding.playerId));
}

/** Runs the fight until Pnakotic has acknowledged `acks` writes, then SIGKILLs it mid-fight; returns what it printed. */
async function fightUntilKilled(args: string[], acks: number): Promise<{ ready: string[]; acked: Array<{ playerId: string; version: number }> }> {
  const child = spawn(process.execPath, ["kill-restart.cjs", "fight", ...args], { cwd: game.dir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fight acknowledged fewer than ${acks} writes in 120 s:\n${output}\n${errors}`)), 120_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if ((output.match(/"ack"/g) ?? []).length >= acks) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`the fight exited by itself (${code}):\n${errors}`)));
  });
  child.kill("SIGKILL");
  await exited;
  const lines = output.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as { ready?: string[]; ack?: { playerId: string; version: number } });
  return { ready: lines.find((line) => line.ready)!.ready!, acked: lines.flatMap((line) => (line.ack ? [line.ack] : [])) };
}

describe.each(targets)("on %s", (_label, start) => {
  let env: Target;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ env, stop } = await start());
  }, 120_000);
  afterAll(async () => stop?.());

  it("the real ranvier@3.0.6 on Pnakotic: the seed story through Ranvier's own Damage and PlayerManager.save (70 HP, XP +1), a stale copy's save merged or refused without a crash, death and respawn, a buff raising then lowering the max, 0 integrity findings", async () => {
    const name = `Ithaqua${Date.now().toString(36)}`;
    const run = await runTool(process.execPath, ["seed-story.cjs", env.baseUrl, env.serviceToken, name], { cwd: game.dir, timeoutMs: 120_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const story = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as {
      id: string;
      states: Record<string, unknown>;
      refusals: Array<{ what: string; code: string }>;
      unhandled: string[];
    };
    expect(story.unhandled).toEqual([]);
    expect(story.states).toEqual({
      loaded: { health: 100, max: 100, experience: 554, room: "arkham:library" },
      afterSeed: { health: 70, max: 100, experience: 555, room: "arkham:library" },
      staleSave: expect.stringMatching(/^(saved|stale_version)$/),
      dead: { health: 0, max: 100, experience: 555, room: "arkham:library" },
      respawned: { health: 100, max: 100, experience: 555, room: "arkham:library" },
      buffed: { health: 120, max: 120, experience: 555, room: "arkham:library" },
      buffEnded: { health: 70, max: 100, experience: 555, room: "arkham:library" },
    });

    const player = await api<{ health: number; maxHealth: number; experiencePoints: number; currentRoomId: string; status: string; attributes: Record<string, unknown> }>(env, `/api/v1/players/${story.id}`, env.serviceToken);
    // A merging server keeps the stale copy's move (a change only it made, like any other writer's);
    // a refusing one keeps the room the live object never left. Health and XP are right either way.
    const room = story.states.staleSave === "saved" ? "arkham:sanitarium" : "arkham:library";
    expect({ health: player.health, maxHealth: player.maxHealth, experiencePoints: player.experiencePoints, room: player.currentRoomId, status: player.status }).toEqual({ health: 70, maxHealth: 100, experiencePoints: 555, room, status: "alive" });
    expect(JSON.stringify(player.attributes)).not.toContain("not-sent-to-pnakotic");

    const { items } = await api<{ items: Array<{ field: string; before: number; after: number; reason: string }> }>(env, `/api/v1/players/${story.id}/events?limit=100`, env.serviceToken);
    const tracked = items.filter((row) => ["health", "maxHealth", "experience"].includes(row.field)).map((row) => `${row.field} ${row.before}→${row.after} ${row.reason}`);
    // Every change in Ranvier's order, each once; the stale copy's save restored nothing. Then the
    // buff: max and current up together, a hit under it, and both down when it ends.
    expect(tracked.join(", ")).toBe(
      "health 100→90 damage, health 90→80 damage, health 80→70 damage, experience 554→555 experience, health 70→65 damage, health 65→0 damage, health 0→100 respawn, " +
        "health 100→120 stat, maxHealth 100→120 stat, health 120→90 damage, health 90→70 stat, maxHealth 120→100 stat",
    );
    if (story.states.staleSave === "stale_version") expect(story.refusals).toEqual([{ what: `save player ${name}`, code: "stale_version" }]);

    expect(await integrityFindingsFor(env, [story.id])).toEqual([]);
  }, 180_000);

  it("the concurrent fight: the package's CLI declares the game's attributes as stats, 4 players fought in parallel loops end with Pnakotic equal to Ranvier's model, nothing refused, 0 integrity findings", async () => {
    // A bundle's attributes.js, as Ranvier games define them; the CLI turns it into Pnakotic stats.
    writeFileSync(path.join(game.dir, "attributes.js"), "module.exports = [{ name: 'health', base: 100 }, { name: 'mana', base: 50 }];\n");
    const declared = await runTool(process.execPath, [path.join(game.dir, "node_modules/.bin/pnakotic-ranvier"), "stats", "attributes.js"], { cwd: game.dir });
    expect(declared.code, declared.stderr).toBe(0);
    expect(declared.stderr).toContain('{"health":"health","stats":{"mana":"mana"}}');
    const { stats } = JSON.parse(declared.stdout) as { stats: Array<{ key: string } & Record<string, unknown>> };
    expect(stats).toEqual([{ key: "mana", label: "mana", min: 0, max: 10000, default: 50 }]);
    for (const { key, ...declaration } of stats) await api(env, `/api/v1/stats/${key}`, env.adminToken, { method: "PUT", body: JSON.stringify(declaration) });

    const run = await runTool(process.execPath, ["concurrent-fight.cjs", env.baseUrl, env.serviceToken, `Brawler${Date.now().toString(36)}`, "4", "60"], { cwd: game.dir, timeoutMs: 150_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const fight = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { model: Array<{ id: string; health: number; maxHealth: number; mana: number; experience: number }>; refusals: unknown[]; unhandled: string[] };
    expect({ refusals: fight.refusals, unhandled: fight.unhandled }).toEqual({ refusals: [], unhandled: [] });
    expect(fight.model).toHaveLength(4);
    for (const model of fight.model) {
      const stored = await api<{ health: number; maxHealth: number; experiencePoints: number; stats: Record<string, number> }>(env, `/api/v1/players/${model.id}`, env.serviceToken);
      expect({ id: model.id, health: stored.health, maxHealth: stored.maxHealth, mana: stored.stats.mana, experience: stored.experiencePoints }).toEqual(model);
    }
    expect(await integrityFindingsFor(env, fight.model.map((model) => model.id))).toEqual([]);
  }, 240_000);

  it("the game killed mid-fight (SIGKILL) and restarted: every acknowledged write is in the ledger once, each ledger continues where the last row ended, the restarted game loads exactly Pnakotic's state and goes on, 0 integrity findings", async () => {
    const prefix = `Victim${Date.now().toString(36)}`;
    const { ready, acked } = await fightUntilKilled([env.baseUrl, env.serviceToken, prefix, "3"], 20);
    const stored = new Map<string, number>();
    for (const id of ready) {
      const player = await api<{ health: number; version: number }>(env, `/api/v1/players/${id}`, env.serviceToken);
      const { items } = await api<{ items: Array<{ field: string; before: number; after: number; playerVersion: number }> }>(env, `/api/v1/players/${id}/events?limit=500`, env.serviceToken);
      const versions = items.map((row) => row.playerVersion);
      for (const ack of acked.filter((entry) => entry.playerId === id)) expect(versions, `acknowledged version ${ack.version} of ${id}`).toContain(ack.version);
      const health = items.filter((row) => row.field === "health");
      health.forEach((row, index) => index > 0 && expect(row.before, `row ${index} of ${id}`).toBe(health[index - 1]!.after));
      expect(health.at(-1)?.after ?? 100).toBe(player.health);
      expect(new Set(items.filter((row) => row.field === "health").map((row) => row.playerVersion)).size).toBe(health.length);
      stored.set(id, player.health);
    }

    const restarted = await runTool(process.execPath, ["kill-restart.cjs", "restart", env.baseUrl, env.serviceToken, prefix, "3"], { cwd: game.dir, timeoutMs: 120_000 });
    expect(restarted.code, restarted.stdout + restarted.stderr).toBe(0);
    const after = JSON.parse(restarted.stdout.trim().split("\n").at(-1)!) as { loaded: Array<{ id: string; health: number; max: number }>; afterHit: Array<{ id: string; health: number }> };
    expect(after.loaded).toEqual(ready.map((id) => ({ id, health: stored.get(id), max: 100 })));
    for (const [index, id] of ready.entries()) {
      expect(after.afterHit[index]).toEqual({ id, health: stored.get(id)! - 1, max: 100 });
      expect((await api<{ health: number }>(env, `/api/v1/players/${id}`, env.serviceToken)).health).toBe(stored.get(id)! - 1);
    }
    expect(await integrityFindingsFor(env, ready)).toEqual([]);
  }, 300_000);
});
