import { expect, test } from "./fixtures";

/** Issue 16: the navigation by role and on phones, time on the axes, the view in the URL, a11y basics. */

test("navigation shows a viewer only the pages a viewer may open", async ({ page, signInAs }) => {
  await signInAs(page, "viewer");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["Overview", "Activity", "Players", "Combat lab", "Errors", "Integrity"]);
  await page.goto("/errors");
  await expect(nav.getByRole("link", { name: "Audit" })).toHaveCount(0);
});

test("support and admins see the Audit link", async ({ page, signInAs }) => {
  await signInAs(page, "support");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" })).toBeVisible();
});

test.describe("on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the navigation folds behind a Menu button, and Sign out is on screen", async ({ page, signInAs }) => {
    await signInAs(page, "admin");
    const signOut = page.getByRole("button", { name: "Sign out" });
    const box = await signOut.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Players" })).toBeHidden();
    await nav.getByRole("button", { name: "Menu" }).click();
    await expect(nav.getByRole("button", { name: "Close menu" })).toHaveAttribute("aria-expanded", "true");
    await nav.getByRole("link", { name: "Players" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Players" })).toBeVisible();
    // It closes after navigating.
    await expect(nav.getByRole("link", { name: "Players" })).toBeHidden();
  });
});

test("axis ticks fall on round times, and a 24 h axis carries dates", async ({ page, signInAs }) => {
  await signInAs(page, "viewer");
  await page.goto("/?range=1h");
  const ticks = page.getByRole("region", { name: "Cache hit rate" }).locator(".recharts-xAxis-tick-labels text");
  await expect(ticks.first()).toBeVisible();
  const hourLabels = await ticks.allTextContents();
  expect(hourLabels.length).toBeGreaterThanOrEqual(3);
  for (const label of hourLabels) expect(label).toMatch(/^\d\d:(00|05|10|15|20|25|30|35|40|45|50|55)$/);

  await page.getByRole("radio", { name: "24 h" }).click();
  await expect(ticks.first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2}( \d\d:00)?$/);
  for (const label of await ticks.allTextContents()) expect(label).toMatch(/^\d{1,2} [A-Z][a-z]{2}( \d\d:00)?$/);
});

test("range, filters, search and the refresh choice live in the URL and survive a reload", async ({ page, signInAs }) => {
  await signInAs(page, "admin");
  await page.goto("/");
  await page.getByRole("radio", { name: "7 d" }).click();
  await page.getByLabel("Refresh every").selectOption("30000");
  await expect(page).toHaveURL(/range=7d/);
  await expect(page).toHaveURL(/refresh=30s/);
  await page.reload();
  await expect(page.getByRole("radio", { name: "7 d" })).toHaveAttribute("aria-checked", "true");
  await expect(page.getByLabel("Refresh every")).toHaveValue("30000");

  // The refresh choice follows to the next page, and reloads there too.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Players" }).click();
  await expect(page).toHaveURL(/\/players\?.*refresh=30s/);
  await page.getByLabel("Search players").fill("Ithaq");
  await expect(page).toHaveURL(/q=Ithaq/);
  await page.getByRole("button", { name: /^Level/ }).click();
  await expect(page).toHaveURL(/sort=level/);
  await page.reload();
  await expect(page.getByLabel("Search players")).toHaveValue("Ithaq");
  await expect(page.getByRole("columnheader", { name: /Level/ })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByRole("link", { name: "Ithaqua", exact: true })).toBeVisible();
  await expect(page.getByLabel("Refresh every")).toHaveValue("30000");

  // Back still works after the address was rewritten in place.
  await page.goBack();
  await expect(page).toHaveURL(/\/\?.*range=7d/);
  await expect(page.getByRole("radio", { name: "7 d" })).toHaveAttribute("aria-checked", "true");

  await page.goto("/errors?level=error&range=7d");
  await expect(page.getByLabel("Level")).toHaveValue("error");
  await expect(page.getByRole("radio", { name: "7 d" })).toHaveAttribute("aria-checked", "true");

  // A custom range from a shared link: the log holds only entries inside it. The demo seed spreads
  // about 17 error entries over its day of samples; 24 h is sure to hold some.
  const to = new Date();
  const from = new Date(to.getTime() - 24 * 3_600_000 + 60_000);
  await page.goto(`/errors?from=${from.toISOString()}&to=${to.toISOString()}`);
  await expect(page.getByRole("radio", { name: "Custom" })).toHaveAttribute("aria-checked", "true");
  const times = page.getByRole("region", { name: "Error log" }).locator("tbody tr td:first-child");
  await expect(times.first()).toBeVisible();
  for (const text of await times.allTextContents()) {
    const at = Date.parse(text.replace(" UTC", "Z").replace(",", ""));
    expect(at).toBeGreaterThanOrEqual(from.getTime() - 1_000);
    expect(at).toBeLessThanOrEqual(to.getTime());
  }
});

test("dragging across a chart zooms into that span; a custom range can be typed", async ({ page, signInAs }) => {
  await signInAs(page, "viewer");
  await page.goto("/?range=24h");
  const chart = page.getByRole("region", { name: "Cache hit rate" }).locator(".recharts-wrapper");
  await expect(page.getByRole("region", { name: "Cache hit rate" }).locator(".recharts-line-curve")).toBeVisible();
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page).toHaveURL(/from=.*&to=/);
  const url = new URL(page.url());
  const span = Date.parse(url.searchParams.get("to")!) - Date.parse(url.searchParams.get("from")!);
  expect(span).toBeGreaterThan(60 * 60_000);
  expect(span).toBeLessThan(12 * 60 * 60_000);
  await expect(page.getByRole("radio", { name: "Custom" })).toHaveAttribute("aria-checked", "true");

  // A typed range, read in UTC.
  await page.getByRole("radio", { name: "Custom" }).click();
  const form = page.getByRole("form", { name: "Custom time range" });
  const now = new Date();
  const day = now.toISOString().slice(0, 10);
  await form.getByLabel("From").fill(`${day}T00:00`);
  await form.getByLabel("To").fill(`${day}T23:59`);
  await form.getByRole("button", { name: "Show range" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${day}T00%3A00%3A00.000Z&to=${day}T23%3A59%3A00.000Z`));
});

test.describe("in a browser set to India time", () => {
  test.use({ timezoneId: "Asia/Kolkata" });

  test("local/UTC toggle changes every date, and the choice is remembered", async ({ page, signInAs }) => {
    await signInAs(page, "admin");
    await page.goto("/audit");
    const firstTime = page.getByRole("region", { name: "Staff actions" }).locator("tbody tr td").first();
    await expect(firstTime).toHaveText(/ UTC$/);
    await page.getByRole("radio", { name: "Local" }).click();
    await expect(firstTime).toHaveText(/ GMT\+5:30$/);
    await page.reload();
    await expect(page.getByRole("radio", { name: "Local" })).toHaveAttribute("aria-checked", "true");
    await expect(firstTime).toHaveText(/ GMT\+5:30$/);
    await page.getByRole("radio", { name: "UTC" }).click();
    await expect(firstTime).toHaveText(/ UTC$/);
  });
});

test("a skip link leads past the navigation; the favicon is served; no request 404s", async ({ page, signInAs }) => {
  const missing: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  await signInAs(page, "viewer");
  await page.goto("/players");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#main-content")).toBeFocused();
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon).toBeTruthy();
  const response = await page.request.get(icon!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("image/svg+xml");
  expect(missing).toEqual([]);

  // The range buttons' focus rings are not clipped by their group.
  await page.goto("/");
  const range = page.getByRole("radiogroup", { name: "Time range" });
  expect(await range.evaluate((group) => getComputedStyle(group).overflow)).toBe("visible");
  await range.getByRole("radio", { name: "1 h" }).focus();
  await page.keyboard.press("Tab");
  const focused = page.locator(":focus-visible");
  await expect(focused).toHaveCount(1);
  expect(await focused.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe("solid");
});
