import { mkdirSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const SHOTS = "tests/.artifacts/screenshots";

/** A chart counts as drawn when its SVG has a data path with real geometry, not just axes. */
async function expectDrawnChart(page: Page, panel: string, selector: string) {
  const paths = page.getByRole("region", { name: panel }).locator(selector);
  await expect(paths.first()).toBeVisible();
  const longest = await paths.evaluateAll((elements) => Math.max(0, ...elements.map((element) => (element.getAttribute("d") ?? "").length)));
  expect(longest, `${panel}: ${selector} has no data`).toBeGreaterThan(40);
}

async function shoot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  // Nothing may overflow the 1280 px viewport horizontally.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} overflows horizontally by ${overflow}px`).toBeLessThanOrEqual(0);
}

test.describe("every page at 1280 px with demo data", () => {
  test.use({ viewport: { width: 1280, height: 900 } });

  test("sign-in", async ({ page }) => {
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await shoot(page, "sign-in");
  });

  test("overview, players, player detail, errors, audit, integrity, combat lab", async ({ page, signInAs, serverInfo }) => {
    await signInAs(page, "admin");
    await page.goto("/");
    await page.getByRole("radio", { name: "24 h" }).click();
    await expectDrawnChart(page, "Cache hit rate", ".recharts-line-curve");
    await expectDrawnChart(page, "Invalidations by cause (per minute)", ".recharts-area-area");
    await expectDrawnChart(page, "Write latency (p50 / p99)", ".recharts-line-curve");
    await expect(page.getByRole("region", { name: "Write conflicts and persistence errors" }).locator(".recharts-bar-rectangle").first()).toBeAttached();
    await shoot(page, "overview");

    await page.goto("/players");
    await expect(page.getByRole("link", { name: "Ithaqua", exact: true })).toBeVisible();
    await shoot(page, "players");

    await page.getByRole("link", { name: "Ithaqua", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Ithaqua" })).toBeVisible();
    await expectDrawnChart(page, "Health timeline", ".recharts-line-curve");
    await expectDrawnChart(page, "Experience", ".recharts-line-curve");
    // The seed story: 100 → 90 → 80 → 70, then XP +1 and health stays 70.
    const ledger = page.getByRole("region", { name: "Ledger" });
    for (const change of ["100 → 90", "90 → 80", "80 → 70", "554 → 555"]) await expect(ledger.getByText(change, { exact: true })).toBeVisible();
    await shoot(page, "player-detail");

    await page.goto("/errors");
    await expect(page.getByRole("heading", { level: 1, name: "Errors" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Error log" }).getByText("database is locked").first()).toBeVisible();
    // The seed's persistence errors (the same ones the overview counts) as bars; over 24 h a bar is 12 min.
    const errorBars = page.getByRole("region", { name: "Errors per 12 min" }).locator("path.recharts-rectangle");
    await expect(errorBars.first()).toBeAttached();
    const tallest = await errorBars.evaluateAll((bars) => Math.max(0, ...bars.map((bar) => (bar as SVGGraphicsElement).getBBox().height)));
    expect(tallest, "Errors per 12 min: no bar has any height").toBeGreaterThan(10);
    await shoot(page, "errors");

    await page.goto("/audit");
    await expect(page.getByRole("row", { name: /player.respawn/ })).toBeVisible();
    await shoot(page, "audit");

    await page.goto("/integrity");
    await page.getByRole("button", { name: "Run check now" }).click();
    // Everything the suite did went through the API honestly: the ledger and the state must agree.
    await expect(page.getByText("Latest check: 0 findings")).toBeVisible();
    await shoot(page, "integrity");

    await page.goto("/combat");
    await expect(page.getByRole("heading", { name: "Combat lab" })).toBeVisible();
    await shoot(page, "combat-lab");
    expect(serverInfo.baseUrl).toMatch(/^http/);
  });
});

test.describe("a 1024 px laptop", () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test("no page overflows horizontally", async ({ page, signInAs }) => {
    await signInAs(page, "admin");
    for (const [path, name] of [
      ["/", "overview"],
      ["/players", "players"],
      ["/combat", "combat-lab"],
      ["/errors", "errors"],
      ["/audit", "audit"],
      ["/integrity", "integrity"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await shoot(page, `${name}-1024`);
    }
    await page.goto("/players");
    await page.getByRole("link", { name: "Ithaqua", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Ithaqua" })).toBeVisible();
    await shoot(page, "player-detail-1024");
  });
});
