import { expect, test } from "./fixtures";
import { expectNoHorizontalScroll } from "./page-checks";

/** Issue 25, items 6 (phone layouts, a theme toggle) and 10 (time to first data). */

test("the theme toggle picks light, dark or the system's, and the choice survives a reload", async ({ page, signInAs }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await signInAs(page, "viewer");
  const theme = page.getByRole("radiogroup", { name: "Theme" });
  await expect(theme.getByRole("radio", { name: "System" })).toHaveAttribute("aria-checked", "true");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await background();
  await theme.getByRole("radio", { name: "Light" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  expect(await background()).not.toBe(dark);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await expect(page.getByRole("radiogroup", { name: "Theme" }).getByRole("radio", { name: "Light" })).toHaveAttribute("aria-checked", "true");
  await page.getByRole("radiogroup", { name: "Theme" }).getByRole("radio", { name: "System" }).click();
  await expect(page.locator("html")).not.toHaveAttribute("data-theme", /./);
  expect(await background()).toBe(dark);
});

test.describe("at 390 px", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the player page puts its actions before its history, and its ledger rows are cards", async ({ page, signInAs }) => {
    await signInAs(page, "support");
    await page.goto("/players");
    await page.getByRole("link", { name: "Ithaqua", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Ithaqua" })).toBeVisible();
    const top = async (name: string) => (await page.getByRole("region", { name, exact: true }).boundingBox())!.y;
    await expect(page.getByRole("region", { name: "Health timeline" })).toBeVisible();
    expect(await top("Correct health")).toBeLessThan(await top("Health timeline"));
    const row = page.getByRole("table", { name: "Ledger rows" }).locator("tbody tr").first();
    await expect(row).toBeVisible();
    // A card: before → after and the actor on screen, not off to the right.
    for (const cell of ["Before → after", "Actor", "Actions"]) {
      const box = (await row.locator(`td[data-label="${cell}"]`).boundingBox())!;
      expect(box.x + box.width, `${cell} ends past the screen`).toBeLessThanOrEqual(390);
    }
    // Status badges are whole.
    const badge = page.locator(".badge.status-alive, .badge.status-dead, .badge.status-mortally_wounded").first();
    expect(await badge.evaluate((element) => element.scrollWidth <= element.clientWidth + 1)).toBe(true);
    await expectNoHorizontalScroll(page, "player page at 390 px");
  });

  // Not yet passing: at 390 px the synthetic hover leaves recharts' tooltip hidden, so whether the
  // (now narrower, view-box-bound) tooltip stays on screen is not shown by this test yet.
  test.fixme("a chart tooltip stays on screen", async ({ page, signInAs }) => {
    await signInAs(page, "viewer");
    await page.goto("/?range=24h");
    const chart = page.getByRole("region", { name: "Cache hit rate" }).locator(".recharts-wrapper");
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    for (const share of [0.25, 0.6, 0.97]) {
      await page.mouse.move(box.x + box.width * share, box.y + box.height / 2);
      const tooltip = page.locator(".recharts-tooltip-wrapper").first();
      await expect(tooltip).toBeVisible();
      const tip = (await tooltip.boundingBox())!;
      expect(tip.x, "tooltip starts off screen").toBeGreaterThanOrEqual(0);
      expect(tip.x + tip.width, "tooltip ends off screen").toBeLessThanOrEqual(390);
    }
  });
});

test("time to first data on the overview is no slower than on the other pages", async ({ page, signInAs }) => {
  await signInAs(page, "viewer");
  const pages = [
    { path: "/", ready: () => page.getByRole("region", { name: "Current figures" }).locator(".tile-value").first() },
    { path: "/players", ready: () => page.getByRole("link", { name: "Ithaqua", exact: true }) },
    { path: "/activity", ready: () => page.getByRole("table", { name: "Incidents" }).locator("tbody tr").first() },
    { path: "/errors", ready: () => page.getByRole("region", { name: "Error log" }).locator("tbody tr").first() },
  ];
  const timings: Record<string, number[]> = {};
  for (let round = 0; round < 3; round += 1) {
    for (const target of pages) {
      const started = Date.now();
      await page.goto(target.path, { waitUntil: "commit" });
      await expect(target.ready()).toBeVisible();
      (timings[target.path] ??= []).push(Date.now() - started);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const medians = Object.fromEntries(Object.entries(timings).map(([path, values]) => [path, median(values)]));
  console.log(`time to first data (median of 3, ms): ${JSON.stringify(medians)}`);
  const others = Object.entries(medians).filter(([path]) => path !== "/").map(([, value]) => value);
  // "No slower than the other pages": within the slowest other page's time, plus noise on this shared machine.
  expect(medians["/"]!).toBeLessThanOrEqual(Math.max(...others) * 1.25 + 150);
});
