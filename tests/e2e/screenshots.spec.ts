import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { checkPage, expectDrawnChart, shoot } from "./page-checks";

/**
 * Every page at a phone (390 px), a laptop (1024 px) and a desktop (1440 px), in the dark theme and
 * in the light one the system setting selects: no sideways page scroll, charts drawn, axe clean,
 * and a screenshot of each in tests/.artifacts/screenshots/.
 */
const layouts = [
  { width: 1440, height: 900, scheme: "dark" },
  { width: 1024, height: 768, scheme: "dark" },
  { width: 390, height: 844, scheme: "dark" },
  { width: 1440, height: 900, scheme: "light" },
  { width: 1024, height: 768, scheme: "light" },
  { width: 390, height: 844, scheme: "light" },
] as const;

async function visitEveryPage(page: Page, suffix: string) {
  await page.goto("/");
  await page.getByRole("radio", { name: "24 h" }).click();
  await expect(page).toHaveURL(/range=24h/);
  await expectDrawnChart(page, "Cache hit rate", ".recharts-line-curve");
  await expectDrawnChart(page, "Invalidations by cause (per minute)", ".recharts-area-area");
  await expectDrawnChart(page, "Write latency (p50 / p99)", ".recharts-line-curve");
  await expect(page.getByRole("region", { name: "Write conflicts and persistence errors" }).locator(".recharts-bar-rectangle").first()).toBeAttached();
  await checkPage(page, `overview${suffix}`);
  await shoot(page, `overview${suffix}-screen`, { fullPage: false });

  await page.goto("/activity");
  await expect(page.getByRole("table", { name: "Incidents" }).locator("tbody tr").first()).toBeVisible();
  await checkPage(page, `activity${suffix}`);
  await shoot(page, `activity${suffix}-screen`, { fullPage: false });

  await page.goto("/players");
  await expect(page.getByRole("link", { name: "Ithaqua", exact: true })).toBeVisible();
  await checkPage(page, `players${suffix}`);

  await page.getByRole("link", { name: "Ithaqua", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Ithaqua" })).toBeVisible();
  await expectDrawnChart(page, "Health timeline", ".recharts-line-curve");
  await expectDrawnChart(page, "Experience", ".recharts-line-curve");
  // The seed story: 100 → 90 → 80 → 70, then XP +1 and health stays 70.
  const ledger = page.getByRole("region", { name: "Ledger" });
  for (const change of ["100 → 90", "90 → 80", "80 → 70", "554 → 555"]) await expect(ledger.getByText(change, { exact: true })).toBeVisible();
  await checkPage(page, `player-detail${suffix}`);
  await shoot(page, `player-detail${suffix}-screen`, { fullPage: false });

  await page.goto("/errors");
  await expect(page.getByRole("heading", { level: 1, name: "Errors" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Error log" }).getByText("database is locked").first()).toBeVisible();
  // The seed's persistence errors (the same ones the overview counts) as bars; over 24 h a bar is 12 min.
  const errorBars = page.getByRole("region", { name: "Errors per 12 min" }).locator("path.recharts-rectangle");
  await expect(errorBars.first()).toBeAttached();
  const tallest = await errorBars.evaluateAll((bars) => Math.max(0, ...bars.map((bar) => (bar as SVGGraphicsElement).getBBox().height)));
  expect(tallest, "Errors per 12 min: no bar has any height").toBeGreaterThan(10);
  await checkPage(page, `errors${suffix}`);

  await page.goto("/audit");
  await expect(page.getByRole("row", { name: /player.respawn/ })).toBeVisible();
  await checkPage(page, `audit${suffix}`);

  await page.goto("/integrity");
  await expect(page.getByRole("heading", { level: 1, name: "Integrity" })).toBeVisible();
  await expect(page.getByRole("region", { name: /Latest check/ }).getByRole("status")).toHaveCount(0);
  await checkPage(page, `integrity${suffix}`);

  await page.goto("/combat");
  await expect(page.getByRole("heading", { name: "Combat lab" })).toBeVisible();
  await checkPage(page, `combat-lab${suffix}`);
}

for (const layout of layouts) {
  test.describe(`${layout.width} px, ${layout.scheme} theme`, () => {
    test.use({ viewport: { width: layout.width, height: layout.height }, colorScheme: layout.scheme });
    const suffix = `-${layout.width}${layout.scheme === "light" ? "-light" : ""}`;

    test("sign-in", async ({ page }) => {
      await page.goto("/sign-in");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await checkPage(page, `sign-in${suffix}`);
    });

    test("every dashboard page", async ({ page, signInAs }) => {
      // Eight pages, each checked with axe and shot in full: more than the default minute on a shared machine.
      test.setTimeout(180_000);
      await signInAs(page, "admin");
      await visitEveryPage(page, suffix);
    });
  });
}

test("the integrity check agrees with everything the suite wrote through the API", async ({ page, signInAs }) => {
  await signInAs(page, "admin");
  await page.goto("/integrity");
  await page.getByRole("button", { name: "Run check now" }).click();
  await expect(page.getByText("Latest check: 0 findings")).toBeVisible();
});
