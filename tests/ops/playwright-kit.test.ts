import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config.ts";
import { createApiToken, createStaffUser } from "../../lib/auth/staff-users.ts";
import { createPrismaClient } from "../../lib/persistence/prisma-client.ts";
import { startAppServer } from "../helpers/app-server.ts";
import { findTool, runTool } from "../helpers/external-tool.ts";
import { postgresReachable, provisionDatabase } from "../helpers/provision-database.ts";

/**
 * Issue 24's "done when": the Playwright kit installed as a consumer installs it — both packages
 * packed to tarballs and installed into a fresh folder outside this repository, nothing imported
 * from its source — runs its example specs against this project's production server, once on
 * SQLite and once on PostgreSQL. Afterwards no test player is left and the integrity check finds
 * nothing. Specs that fail midway (a throw, a timeout) still remove their players.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const playwrightVersion = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies["@playwright/test"]!;
const chromium = findTool("chromium", process.env.PNAKOTIC_CHROMIUM);

/** Specs that are meant to fail midway; each records the player it got so the test can look for it. */
const midwayChecks = {
  "throws.check.ts": `import { hit, test } from "@pnakotic/playwright";
test("a check that throws midway", async ({ pnakotic, testPlayer }, testInfo) => {
  testInfo.annotations.push({ type: "player", description: testPlayer.id });
  await hit(pnakotic, testPlayer, 10);
  throw new Error("thrown midway on purpose");
});
`,
  "times-out.check.ts": `import { hit, test } from "@pnakotic/playwright";
test("a check that hangs until its timeout", async ({ pnakotic, testPlayer, createTestPlayer }, testInfo) => {
  test.setTimeout(4_000);
  const second = await createTestPlayer({ name: "Second" });
  testInfo.annotations.push({ type: "player", description: testPlayer.id }, { type: "player", description: second.id });
  await hit(pnakotic, testPlayer, 10);
  await new Promise(() => undefined);
});
`,
  "console-fails.check.ts": `import { expect, test } from "@pnakotic/playwright";
test("a console check whose assertion fails midway", async ({ testPlayer, playerPage }, testInfo) => {
  testInfo.annotations.push({ type: "player", description: testPlayer.id });
  await playerPage.goto(testPlayer);
  await expect(playerPage.page.getByRole("heading", { name: "no such heading" })).toBeVisible({ timeout: 1_000 });
});
`,
};

interface JsonReport {
  stats: { expected: number; unexpected: number; skipped: number; flaky: number };
  suites: JsonSuite[];
}
interface JsonSuite {
  suites?: JsonSuite[];
  specs: Array<{ title: string; ok: boolean; tests: Array<{ annotations: Array<{ type: string; description?: string }>; results: Array<{ status: string }> }> }>;
}

function specsOf(suites: JsonSuite[]): JsonSuite["specs"] {
  return suites.flatMap((suite) => [...suite.specs, ...specsOf(suite.suites ?? [])]);
}

let work: string;
let consumer: string;
let installLog = "";

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "pnakotic-kit-"));
  const packs = path.join(work, "packs");
  consumer = path.join(work, "consumer");
  mkdirSync(packs);
  mkdirSync(consumer);
  // Packing runs each package's `prepare` (its tsc build): the client first, the kit builds against it.
  for (const folder of ["clients/typescript", "clients/playwright"]) {
    const packed = await runTool("npm", ["pack", "--pack-destination", packs], { cwd: path.join(ROOT, folder), timeoutMs: 180_000 });
    expect(packed.code, packed.stdout + packed.stderr).toBe(0);
  }
  const tarballs = readdirSync(packs).map((file) => path.join(packs, file));
  expect(tarballs.map((file) => path.basename(file)).sort()).toEqual(["pnakotic-client-0.1.0.tgz", "pnakotic-playwright-0.1.0.tgz"]);
  // A consumer's own project: nothing here points into this repository.
  writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "combat-checks", private: true, type: "module" }, null, 2));
  const install = await runTool("npm", ["install", "--no-audit", "--no-fund", ...tarballs, `@playwright/test@${playwrightVersion}`], { cwd: consumer, timeoutMs: 300_000 });
  installLog = install.stdout + install.stderr;
  expect(install.code, installLog).toBe(0);
  // The examples, copied out of the installed package as a new user would start.
  cpSync(path.join(consumer, "node_modules/@pnakotic/playwright/examples"), consumer, { recursive: true });
  mkdirSync(path.join(consumer, "midway"));
  for (const [file, text] of Object.entries(midwayChecks)) writeFileSync(path.join(consumer, "midway", file), text);
  writeFileSync(
    path.join(consumer, "midway.config.ts"),
    `import config from "./playwright.config.ts";\nexport default { ...config, testDir: "./midway", testMatch: "*.check.ts", retries: 0 };\n`,
  );
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

async function runPlaywright(config: string, env: Record<string, string>): Promise<{ code: number | null; report: JsonReport; output: string }> {
  const reportFile = path.join(work, `report-${Date.now()}.json`);
  const result = await runTool(path.join(consumer, "node_modules/.bin/playwright"), ["test", "--config", config, "--reporter", "json"], {
    cwd: consumer,
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile },
    timeoutMs: 420_000,
  });
  const output = result.stdout + result.stderr;
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as JsonReport;
  return { code: result.code, report, output };
}

describe.each(["sqlite", "postgresql"] as const)("the Playwright kit from its tarball on %s", (kind) => {
  it("runs the examples, cleans up after failing checks, and leaves no test player and no finding behind", async (context) => {
    if (!chromium) {
      if (process.env.CI === "true") throw new Error("Chromium is missing (apt-get install chromium); CI must run the kit's checks");
      context.skip();
    }
    if (kind === "postgresql" && !(await postgresReachable())) context.skip();
    const database = await provisionDatabase(kind, { accounts: false });
    const seeded = await runTool(path.join(ROOT, "node_modules/.bin/tsx"), ["prisma/seed.ts"], { cwd: ROOT, env: { DATABASE_URL: database.url }, timeoutMs: 180_000 });
    expect(seeded.code, seeded.stdout + seeded.stderr).toBe(0);
    const db = createPrismaClient(parseConfig({ DATABASE_URL: database.url }));
    const { token: kitToken } = await createApiToken(db, { name: "qa-kit", role: "service", scope: "test-players" });
    const { token: adminToken } = await createApiToken(db, { name: "ci-operator", role: "admin" });
    await createStaffUser(db, { username: "qa-support", password: "qa-support-password-1", role: "support" });
    const server = await startAppServer({ env: { DATABASE_URL: database.url, INTEGRITY_CHECK_INTERVAL_MS: "0" }, waitForListener: kind === "postgresql" });
    try {
      const env = {
        PNAKOTIC_URL: server.baseUrl,
        PNAKOTIC_TOKEN: kitToken,
        PNAKOTIC_STAFF_USER: "qa-support",
        PNAKOTIC_STAFF_PASSWORD: "qa-support-password-1",
        PNAKOTIC_CHROMIUM: chromium!,
        PNAKOTIC_TEST_TAG: `ci-${kind}`,
      };
      const examples = await runPlaywright("playwright.config.ts", env);
      expect(examples.code, examples.output).toBe(0);
      const titles = specsOf(examples.report.suites).map((spec) => spec.title);
      expect(titles.length, examples.output).toBe(5);
      expect(examples.report.stats, examples.output).toMatchObject({ expected: 5, unexpected: 0, skipped: 0, flaky: 0 });

      // Checks killed midway (a throw, a timeout, a failed console assertion): each fails, and its players are gone anyway.
      const midway = await runPlaywright("midway.config.ts", env);
      expect(midway.code, midway.output).toBe(1);
      const specs = specsOf(midway.report.suites);
      expect(specs.map((spec) => [spec.title, spec.ok]).sort()).toEqual([
        ["a check that hangs until its timeout", false],
        ["a check that throws midway", false],
        ["a console check whose assertion fails midway", false],
      ]);
      expect(specs.find((spec) => spec.title.includes("timeout"))!.tests[0]!.results[0]!.status).toBe("timedOut");
      const midwayPlayers = specs.flatMap((spec) => spec.tests[0]!.annotations.filter((note) => note.type === "player").map((note) => note.description!));
      expect(midwayPlayers).toHaveLength(4);
      for (const id of midwayPlayers) {
        const response = await fetch(`${server.baseUrl}/api/v1/players/${id}`, { headers: { Authorization: `Bearer ${adminToken}` } });
        expect(response.status, `player ${id} of a check killed midway`).toBe(404);
      }

      // Nothing left behind: no test player in the database or the list, every purge recorded, no finding.
      expect(await db.player.count({ where: { testTag: { not: null } } })).toBe(0);
      const list = (await (await fetch(`${server.baseUrl}/api/v1/players?search=QA&limit=100`, { headers: { Authorization: `Bearer ${adminToken}` } })).json()) as { items: unknown[] };
      expect(list.items).toEqual([]);
      expect(await db.playerPurge.count({ where: { testTag: `ci-${kind}` } })).toBe(6 + 4);
      const check = await fetch(`${server.baseUrl}/api/v1/integrity/runs`, { method: "POST", headers: { Authorization: `Bearer ${adminToken}` } });
      const report = (await check.json()) as { findings: unknown[]; purges: Array<{ testTag: string }> };
      expect(check.status).toBe(200);
      expect(report.findings).toEqual([]);
      expect(report.purges.filter((purge) => purge.testTag === `ci-${kind}`)).toHaveLength(10);
    } finally {
      await server.stop();
      await db.$disconnect();
      await database.remove();
    }
  }, 900_000);
});

it("installed from tarballs only: the consumer's kit resolves inside its own node_modules", () => {
  const kit = JSON.parse(readFileSync(path.join(consumer, "node_modules/@pnakotic/playwright/package.json"), "utf8")) as { name: string };
  expect(kit.name).toBe("@pnakotic/playwright");
  const lock = readFileSync(path.join(consumer, "package-lock.json"), "utf8");
  expect(lock).not.toContain(ROOT.replace(/\/$/, ""));
  expect(installLog).not.toMatch(/ERR!/);
});
