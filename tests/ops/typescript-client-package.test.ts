import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { runTool } from "../helpers/external-tool.ts";
import { installPackedPackages } from "../helpers/packed-package.ts";

const env = inject("ops");
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PACKAGE = path.join(ROOT, "clients/typescript");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

// A consumer with no @types/node: it declares the little of `process` it reads.
const processDeclaration = `declare const process: { argv: string[] };`;

/** The same scenario from `import` (.mts) and from `require` (.cts): create, damage, a stale save refused (merge: false), queued writes in order, a retried key applied once. */
const scenario = (importLine: string, namespace: string) => `${importLine}
${processDeclaration}
const [baseUrl, token] = process.argv.slice(2) as [string, string];

async function main(): Promise<void> {
  const client = ${namespace}.createPnakoticClient({ baseUrl, token });
  const created: ${namespace}.Player = await client.createPlayer({ name: \`package-\${Math.random().toString(36).slice(2)}\` });
  const { player: damaged } = await client.damagePlayer(created.id, { amount: 10 });
  let stale = "not refused";
  try {
    await client.savePlayer(created.id, { name: created.name, health: 100, maxHealth: 100, experiencePoints: 0, attributes: {}, inventory: [], statusEffects: [] }, created.version, { merge: false });
  } catch (error) {
    stale = error instanceof ${namespace}.StaleDataError ? error.code : String(error);
  }
  // Queued back to back without awaiting: the lane keeps them in order, so the heal lands after the damage (90 − 50 + 20 = 60; the other order clamps at 100 and ends at 50).
  const queue = ${namespace}.createOrderedQueue();
  const writes = [
    queue.run(created.id, () => client.damagePlayer(created.id, { amount: 50 })),
    queue.run(created.id, () => client.healPlayer(created.id, { amount: 20 })),
  ];
  const settled = await Promise.allSettled(writes);
  // One logical write sent twice with one key (as a retry after a lost answer would): applied once.
  const key = ${namespace}.newIdempotencyKey();
  let sends = 0;
  await ${namespace}.retryWithSameKey(async (idempotencyKey) => {
    sends += 1;
    await client.gainExperience(created.id, { amount: 1 }, { idempotencyKey });
    if (sends === 1) throw new TypeError("answer lost");
  }, { idempotencyKey: key, delayMs: () => 0 });
  const final = await client.getPlayer(created.id);
  console.log(JSON.stringify({ damaged: damaged.health, stale, queued: settled.map((result) => result.status), health: final.health, experience: final.experiencePoints, sends }));
}
main().catch((error: unknown) => {
  console.error(error);
  throw error;
});
`;

let consumer: { dir: string; remove: () => void };

beforeAll(async () => {
  consumer = await installPackedPackages([PACKAGE]);
  // Strict, Node's own module rules, no @types at all: what a consumer's compiler sees is the package's types alone.
  writeFileSync(path.join(consumer.dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", target: "es2022", lib: ["es2023", "dom"], types: [], outDir: "out", skipLibCheck: false }, files: ["from-import.mts", "from-require.cts"] }));
  writeFileSync(path.join(consumer.dir, "from-import.mts"), scenario(`import * as pnakotic from "@pnakotic/client";`, "pnakotic"));
  writeFileSync(path.join(consumer.dir, "from-require.cts"), scenario(`import pnakotic = require("@pnakotic/client");`, "pnakotic"));
}, 300_000);
afterAll(() => consumer?.remove());

it("@pnakotic/client from its tarball, in an empty folder: both entry points type-check strictly and run a damage call against the real server", async () => {
  const check = await runTool(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: consumer.dir, timeoutMs: 120_000 });
  expect(check.code, check.stdout + check.stderr).toBe(0);

  for (const entry of ["out/from-import.mjs", "out/from-require.cjs"]) {
    const run = await runTool(process.execPath, [entry, env.baseUrl, env.serviceToken], { cwd: consumer.dir, timeoutMs: 60_000 });
    expect(run.code, `${entry}: ${run.stdout}${run.stderr}`).toBe(0);
    expect(JSON.parse(run.stdout), entry).toEqual({ damaged: 90, stale: "stale_version", queued: ["fulfilled", "fulfilled"], health: 60, experience: 1, sends: 2 });
  }
}, 180_000);

it("a consumer's type error in the package's types is caught (the check above is not vacuous)", async () => {
  writeFileSync(path.join(consumer.dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", lib: ["es2023", "dom"], types: [] }, files: ["wrong.cts"] }));
  writeFileSync(path.join(consumer.dir, "wrong.cts"), `import pnakotic = require("@pnakotic/client");\nconst client = pnakotic.createPnakoticClient({ baseUrl: "http://x" });\nvoid client.damagePlayer("id", { amount: "ten" });\n`);
  const check = await runTool(process.execPath, [TSC, "-p", "tsconfig.json", "--noEmit", "--skipLibCheck"], { cwd: consumer.dir, timeoutMs: 120_000 });
  expect(check.code).not.toBe(0);
  expect(check.stdout).toMatch(/wrong\.cts.*TS2322/);
}, 180_000);
