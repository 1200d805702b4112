/**
 * Demo data: a handful of players with a plausible history (written through the real persistence
 * operations, so the ledger is authentic), demo staff logins, a demo service token, and a day of
 * cache-metric samples so the dashboard's charts are not empty on first start.
 *
 *   npm run seed               seed (refuses if players exist)
 *   npm run seed -- --if-empty seed only an empty database (what `npm start` runs)
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getConfig } from "../lib/config.ts";
import { createApiToken, createStaffUser } from "../lib/auth/staff-users.ts";
import { randomPassword } from "../lib/auth/secrets.ts";
import { createPersistenceContext } from "../lib/runtime/create-persistence-context.ts";
import { createPlayer } from "../lib/player-operations/create-player.ts";
import { damagePlayer } from "../lib/player-operations/damage-player.ts";
import { gainExperience } from "../lib/player-operations/gain-experience.ts";
import { healPlayer } from "../lib/player-operations/heal-player.ts";
import { respawnPlayer } from "../lib/player-operations/respawn-player.ts";
import { correctHealth } from "../lib/player-operations/correct-health.ts";
import { updateStats } from "../lib/player-operations/update-stats.ts";
import { declareStats } from "../lib/stats/declare-stats.ts";
import { DEMO_METRICS_INSTANCE } from "../lib/metrics/overview-summary.ts";
import { demoStatDeclarations } from "../lib/stats/stat-definition.ts";

const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((arg) => arg !== "--if-empty");
if (unknown.length > 0) {
  console.error(`seed: unknown option(s) ${unknown.join(" ")}; usage: npm run seed [-- --if-empty]`);
  process.exit(2);
}

const config = getConfig();
const ctx = createPersistenceContext(config, { instanceId: "seed" });
const credentialsFile = path.join(config.database.kind === "sqlite" ? path.dirname(config.database.file) : "data", "demo-credentials.txt");

const combat = (at: Date) => ({ actor: { name: "demo-game-server", kind: "service" as const }, at });
const staff = (name: string, at: Date) => ({ actor: { name, kind: "staff" as const }, at });

async function main(): Promise<void> {
  const existing = await ctx.db.player.count();
  if (existing > 0) {
    if (args.has("--if-empty")) {
      console.log(`seed: database already has ${existing} players; not seeding.`);
      if (existsSync(credentialsFile)) console.log(`seed: demo logins (from the first seed):\n${readFileSync(credentialsFile, "utf8")}`);
      return;
    }
    throw new Error(`database already has ${existing} players; seed only runs on an empty database`);
  }

  const now = Date.now();
  // The seed story happens at the most recent 13:40:48 UTC, as in the original incident report.
  const story = new Date(now);
  story.setUTCHours(13, 40, 48, 0);
  if (story.getTime() > now - 60_000) story.setUTCDate(story.getUTCDate() - 1);
  const storyAt = (seconds: number) => new Date(story.getTime() + seconds * 1000);
  const system = { actor: { name: "seed", kind: "system" as const } };

  console.log("seed: declaring the demo game's stats (lucidity, mana, gold, the six attributes)…");
  await declareStats(ctx, demoStatDeclarations, system);

  console.log("seed: creating players…");
  const ithaqua = await createPlayer(ctx, { name: "Ithaqua", maxHealth: 100, experiencePoints: 554, currentRoomId: "miskatonic-library", professionId: "antiquarian" }, system);
  await damagePlayer(ctx, ithaqua.id, 10, { damageType: "melee", source: "npc:dr-francis-morgan" }, combat(storyAt(0)));
  await damagePlayer(ctx, ithaqua.id, 10, { damageType: "melee", source: "npc:dr-francis-morgan" }, combat(storyAt(12)));
  await damagePlayer(ctx, ithaqua.id, 10, { damageType: "melee", source: "npc:dr-francis-morgan" }, combat(storyAt(24)));
  await gainExperience(ctx, ithaqua.id, 1, { source: "npc:dr-francis-morgan" }, combat(storyAt(31)));

  const others = [
    { name: "Randolph Carter", maxHealth: 110, experiencePoints: 1_840, currentRoomId: "dreamlands-gate", professionId: "dreamer" },
    { name: "Herbert West", maxHealth: 90, experiencePoints: 960, currentRoomId: "arkham-sanitarium", professionId: "doctor" },
    { name: "Lavinia Whateley", maxHealth: 80, experiencePoints: 310, currentRoomId: "dunwich-hills", professionId: "occultist" },
    { name: "Wilbur Whateley", maxHealth: 140, experiencePoints: 2_500, currentRoomId: "dunwich-hills", professionId: "occultist" },
    { name: "Asenath Waite", maxHealth: 95, experiencePoints: 720, currentRoomId: "innsmouth-docks", professionId: "sorceress" },
    { name: "Robert Olmstead", maxHealth: 100, experiencePoints: 45, currentRoomId: "innsmouth-docks", professionId: "student" },
  ];
  let seed = 7;
  const random = () => ((seed = (seed * 16_807) % 2_147_483_647) - 1) / 2_147_483_646;
  for (const [index, input] of others.entries()) {
    const player = await createPlayer(ctx, input, system);
    // A few combat sessions over the last six hours.
    let at = now - 6 * 3_600_000 + index * 600_000;
    for (let session = 0; session < 4; session += 1) {
      for (let round = 0; round < 3 + Math.floor(random() * 5); round += 1) {
        at += 6_000;
        await damagePlayer(ctx, player.id, 3 + Math.floor(random() * 12), { damageType: random() < 0.7 ? "melee" : "sanity", source: "npc:deep-one" }, combat(new Date(at)));
      }
      at += 4_000;
      await gainExperience(ctx, player.id, 5 + Math.floor(random() * 40), { source: "npc:deep-one" }, combat(new Date(at)));
      // The deep one's gaze costs lucidity; its hoard pays gold — both in one change.
      at += 2_000;
      await updateStats(
        ctx,
        player.id,
        { changes: [{ stat: "lucidity", op: "add", value: -(2 + Math.floor(random() * 8)) }, { stat: "gold", op: "add", value: 5 + Math.floor(random() * 50) }], source: "npc:deep-one" },
        combat(new Date(at)),
      );
      at += 600_000 + Math.floor(random() * 1_200_000);
      const current = await ctx.db.player.findUniqueOrThrow({ where: { id: player.id }, select: { health: true } });
      if (current.health > config.HEALTH_FLOOR) await healPlayer(ctx, player.id, 20 + Math.floor(random() * 40), { source: "rest" }, combat(new Date(at)));
    }
  }
  // One death and a support respawn, and one correction, so every reason appears in the demo.
  const lavinia = await ctx.db.player.findUniqueOrThrow({ where: { name: "Lavinia Whateley" }, select: { id: true } });
  await damagePlayer(ctx, lavinia.id, 200, { damageType: "eldritch", source: "npc:yog-sothoth" }, combat(new Date(now - 40 * 60_000)));
  await respawnPlayer(ctx, lavinia.id, { ...staff("support", new Date(now - 35 * 60_000)), reason: "Died to an unkillable boss spawned by mistake" });
  // Corrections apply to the living (the dead are respawned), so refund whoever is alive and hurt
  // (below maxHealth: a refund to a full-health player would be a no-op "80 → 80" in the audit log).
  const refunded = await ctx.db.player.findFirstOrThrow({
    where: { health: { gt: 0, lt: ctx.db.player.fields.maxHealth }, name: { not: "Ithaqua" } },
    orderBy: { health: "asc" },
    select: { id: true, health: true, maxHealth: true },
  });
  await correctHealth(
    ctx,
    refunded.id,
    { delta: Math.max(1, Math.min(15, refunded.maxHealth - refunded.health)), reason: "Refund: trap damage applied twice (ticket #4521)" },
    staff("support", new Date(now - 20 * 60_000)),
  );

  console.log("seed: creating a day of cache-metric samples…");
  const samples = [];
  // Each persistence error the samples count also gets its error-log row, as a real one would
  // (lib/logging/error-log-sink.ts), so the errors page tells the same story as the overview.
  const errorEntries = [];
  for (let at = now - 24 * 3_600_000; at < now; at += 10_000) {
    const hour = new Date(at).getUTCHours();
    const gets = 200 + Math.floor(random() * 150) + (hour >= 18 ? 200 : 0);
    // A dip in the afternoon (a deploy flushed caches) so the chart has a story.
    const hitRate = hour === 15 ? 0.62 + random() * 0.1 : 0.88 + random() * 0.08;
    const hits = Math.round(gets * hitRate);
    const writes = 20 + Math.floor(random() * 25);
    samples.push({
      at: new Date(at),
      instanceId: DEMO_METRICS_INSTANCE,
      intervalMs: 10_000,
      hits,
      misses: gets - hits,
      invalidationsWrite: Math.round(writes * 0.8),
      invalidationsTtl: Math.floor(random() * 12),
      invalidationsEvent: Math.floor(random() * 4),
      invalidationsManual: random() < 0.002 ? 1 : 0,
      evictions: 0,
      entries: 300 + Math.floor(random() * 60),
      staleSavesRefused: random() < 0.01 ? 1 : 0,
      persistenceErrors: random() < 0.002 ? 1 : 0,
      writes,
      writeLatencyP50Ms: 0.8 + random() * 0.4,
      writeLatencyP99Ms: 2.5 + random() * 3,
    });
    if (samples.at(-1)!.persistenceErrors > 0) {
      errorEntries.push({
        at: new Date(at + 4_000),
        level: "error",
        module: "persistence",
        message: "damage write failed: database is locked (SQLITE_BUSY) after 3 attempts",
        context: { operation: "damage", attempts: 3, instanceId: DEMO_METRICS_INSTANCE },
        requestId: `demo-${errorEntries.length + 1}`,
      });
    }
  }
  await ctx.db.cacheMetricSample.createMany({ data: samples });
  await ctx.db.errorLogEntry.createMany({ data: errorEntries });

  console.log("seed: creating demo logins and a demo service token…");
  const logins = [
    { username: "admin", role: "admin" as const, password: randomPassword() },
    { username: "support", role: "support" as const, password: randomPassword() },
    { username: "gamemaster", role: "viewer" as const, password: randomPassword() },
  ];
  for (const login of logins) await createStaffUser(ctx.db, login);
  const token = await createApiToken(ctx.db, { name: "demo-game-server", role: "service" });

  const text = [
    ...logins.map((login) => `  ${login.role.padEnd(8)} username: ${login.username.padEnd(11)} password: ${login.password}`),
    `  service  token (${token.name}): ${token.token}`,
    "",
  ].join("\n");
  mkdirSync(path.dirname(credentialsFile), { recursive: true });
  writeFileSync(credentialsFile, text, { mode: 0o600 });
  chmodSync(credentialsFile, 0o600);
  console.log(`seed: done — ${1 + others.length} players. Demo logins (also in ${credentialsFile}):\n${text}`);
}

main()
  .catch((error: unknown) => {
    console.error("seed failed:", error);
    process.exitCode = 1;
  })
  .finally(async () => {
    // On PostgreSQL the invalidation bus holds a LISTEN connection and the writer a pool: left open,
    // the process never exits after "seed: done".
    await ctx.bus.close();
    await ctx.writer.close();
    await ctx.db.$disconnect();
  });
