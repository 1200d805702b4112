import { expect, test } from "./fixtures";
import { createPlayer } from "../helpers/combat-fixtures";
import type { Page } from "@playwright/test";

/** Issue 25, items 3 (honest charts and tiles) and 4 (audit for support). */

test("a 15-minute hit-rate chart with no reads says No data, with its axis and target line kept out of it", async ({ page, signInAs }) => {
  await signInAs(page, "viewer");
  // Two days back: before the seed's invented day, so no instance stored a sample there.
  const to = new Date(Date.now() - 2 * 86_400_000);
  const from = new Date(to.getTime() - 15 * 60_000);
  await page.goto(`/?from=${from.toISOString()}&to=${to.toISOString()}`);
  const chart = page.getByRole("region", { name: "Cache hit rate" });
  await expect(chart.getByText("No data: no cache reads in this range.")).toBeVisible();
  await expect(chart.locator(".recharts-wrapper")).toHaveCount(0);
});

test("the hit-rate chart draws its target line and says which buckets have too few reads", async ({ page, signInAs }) => {
  await signInAs(page, "viewer");
  await page.goto("/?range=1h");
  const chart = page.getByRole("region", { name: "Cache hit rate" });
  await expect(chart.getByText("target 80 %")).toBeVisible();
  await expect(chart.getByText(/Hollow dots: buckets with fewer than 20 reads/)).toBeVisible();
});

test("each tile states its window; 'now' is the last 5 minutes; the seed's metrics are marked as demo", async ({ page, signInAs }) => {
  await signInAs(page, "viewer");
  await page.goto("/");
  const tiles = page.getByRole("region", { name: "Current figures" });
  await expect(tiles.getByRole("link", { name: /Cache hit rate.*now · last 5 min/ })).toBeVisible();
  await expect(tiles.getByRole("link", { name: /Invalidations \/ min.*now · last 5 min/ })).toBeVisible();
  await expect(tiles.getByRole("link", { name: /Stale saves refused.*last hour/ })).toBeVisible();
  await expect(tiles.getByRole("link", { name: /Errors.*last hour/ })).toBeVisible();
  // The seed wrote a day of samples as instance demo-seed: the figures say they include them.
  await expect(page.getByText("Includes demo metrics (instance demo-seed)").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Cache hit rate" }).getByText("demo data")).toBeVisible();
});

async function revertLatestChange(page: Page, playerId: string, changeId: string) {
  return page.evaluate(
    async ({ id, change }) => {
      const preview = await (await fetch(`/api/v1/players/${id}/revert-preview?changeId=${change}`)).json();
      const response = await fetch(`/api/v1/players/${id}/revert`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "If-Match": `"${preview.version}"` },
        body: JSON.stringify({ changeId: change, reason: "Ticket #5150: bugged trap" }),
      });
      return response.status;
    },
    { id: playerId, change: changeId },
  );
}

test("support filters the audit by player and finds the revert, newest first, with every column on screen at 1024 px", async ({ page, serverInfo, signInAs, db }) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  const player = await createPlayer({ baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken }, { name: `Audited ${Date.now()}`, maxHealth: 100 });
  const damage = await fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}/damage`, {
    method: "POST",
    headers: { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ amount: 30, source: "trap:bugged" }),
  });
  expect(damage.status).toBe(200);
  const { changeId } = db.prepare(`SELECT "changeId" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id" DESC LIMIT 1`).get(player.id) as { changeId: string };
  await signInAs(page, "support");
  expect(await revertLatestChange(page, player.id, changeId)).toBe(200);

  await page.goto("/audit");
  const action = page.getByLabel("Action", { exact: true });
  // The options are the server's action list, not three hard-coded ones.
  for (const name of ["player.revert", "player.restore", "player.stat_correction", "stats.declare"]) {
    await expect(action.locator(`option[value="${name}"]`)).toHaveCount(1);
  }
  await page.getByLabel("Player").fill(player.name);
  await expect(page).toHaveURL(/player=Audited/);
  const table = page.getByRole("table", { name: "Staff actions" });
  await expect(table.getByRole("row")).toHaveCount(2);
  const row = table.getByRole("row", { name: /player\.revert/ });
  await expect(row).toContainText("Ticket #5150: bugged trap");
  await page.getByLabel("Action", { exact: true }).selectOption("player.revert");
  await expect(table.getByRole("row")).toHaveCount(2);

  // A time filter: from tomorrow on there is nothing.
  await page.getByLabel("Since").fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 16));
  await expect(page.getByText("No staff actions match.")).toBeVisible();
  await page.getByLabel("Since").fill("");

  // Unfiltered: newest first by time, and the long stats.declare rows do not push a column off screen.
  await page.goto("/audit");
  const times = await table.locator("tbody tr td:first-child time").evaluateAll((cells) => cells.map((cell) => Date.parse(cell.getAttribute("datetime") ?? "")));
  expect(times.length).toBeGreaterThan(3);
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  const overflow = await table.evaluate((element) => {
    const right = Math.max(...[...element.querySelectorAll("th")].map((th) => th.getBoundingClientRect().right));
    return right - document.documentElement.clientWidth;
  });
  expect(overflow, "the rightmost audit column ends past the viewport").toBeLessThanOrEqual(0);
  await expect(table.getByRole("columnheader", { name: "Reason" })).toBeInViewport();
});
