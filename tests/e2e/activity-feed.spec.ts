import { expect, test } from "./fixtures";
import { createPlayer } from "../helpers/combat-fixtures";
import { checkPage } from "./page-checks";

/** Issue 25, item 1: a server-wide activity view, fed by the live stream. */

test("a game master sees a death in the activity feed within 1 s of the write, linked to the player and the event", async ({ page, serverInfo, signInAs, db }) => {
  const service = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const player = await createPlayer(service, { name: `Doomed ${Date.now()}`, maxHealth: 100 });
  await signInAs(page, "viewer");
  await page.goto("/activity?kind=death");
  await expect(page.getByRole("status", { name: "Updates: Live" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Incidents" }).or(page.getByText("Nothing matches in the newest ledger rows."))).toBeVisible();

  const row = page.getByRole("row").filter({ hasText: player.name });
  const appeared = row.waitFor({ state: "visible", timeout: 5_000 }).then(() => Date.now());
  const response = await fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}/damage`, {
    method: "POST",
    headers: { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ amount: 500, source: "npc:shoggoth" }),
  });
  expect(response.status).toBe(200);
  const writtenAt = Date.now();
  const delayMs = Math.max(0, (await appeared) - writtenAt);
  console.log(`activity feed: death shown ${delayMs} ms after the write's answer`);
  expect(delayMs).toBeLessThan(1_000);
  await expect(row).toContainText("death");
  await expect(row).toContainText("health 100 → -10");

  const { id: eventId } = db.prepare(`SELECT "id" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id" DESC LIMIT 1`).get(player.id) as { id: number };
  await expect(row.getByRole("link", { name: player.name, exact: true })).toHaveAttribute("href", `/players/${player.id}`);
  await expect(row.getByRole("link", { name: `Event #${eventId} of ${player.name}` })).toHaveAttribute("href", `/players/${player.id}?event=${eventId}#as-of`);

  // Watch the player: the watched list keeps them, and "Watched players only" narrows the feed.
  await row.getByRole("button", { name: `Watch ${player.name}` }).click();
  await expect(page.getByRole("region", { name: "Watched players" }).getByRole("link", { name: player.name })).toBeVisible();
  await page.getByLabel("Show", { exact: true }).selectOption("");
  await page.getByLabel("Watched players only").check();
  await expect(page).toHaveURL(/watched=1/);
  const rows = page.getByRole("table", { name: "Incidents" }).locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(player.name);
});

test("every overview tile links to the list it counts", async ({ page, signInAs }) => {
  await signInAs(page, "viewer");
  await page.goto("/");
  const tiles = page.getByRole("region", { name: "Current figures" });
  await expect(tiles.getByRole("link", { name: /^Mortally wounded/ })).toHaveAttribute("href", "/players?status=mortally_wounded");
  await expect(tiles.getByRole("link", { name: /^Dead/ })).toHaveAttribute("href", "/players?status=dead");
  await expect(tiles.getByRole("link", { name: /^Errors/ })).toHaveAttribute("href", "/errors?range=1h");
  await tiles.getByRole("link", { name: /^Stale saves refused/ }).click();
  // The refused saves themselves: who tried to save which version, and which fields conflicted.
  await expect(page).toHaveURL(/\/saves\?outcome=refused/);
  await expect(page.getByRole("heading", { name: "Whole saves" })).toBeVisible();
  await expect(page.getByLabel("Outcome")).toHaveValue("refused");
});

for (const width of [390, 1024, 1440]) {
  for (const scheme of ["light", "dark"] as const) {
    test(`the activity view at ${width} px, ${scheme}: big hits listed, no sideways scroll, axe clean`, async ({ page, signInAs }) => {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await signInAs(page, "viewer");
      await page.goto("/activity?kind=big_hit&bigHit=20");
      await expect(page.getByRole("table", { name: "Incidents" }).locator("tbody tr").first()).toBeVisible();
      await checkPage(page, `activity-${width}-${scheme}`);
    });
  }
}
