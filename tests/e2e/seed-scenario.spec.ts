import { expect, test } from "./fixtures";
import { createPlayer, readLedgerFromDatabase, readPlayerFromDatabase } from "../helpers/combat-fixtures";

/**
 * The bug Pnakotic exists for, through the browser: Ithaqua (100 HP, 554 XP) fights Dr. Francis
 * Morgan; after 20 damage the player disconnects, the fight goes on until the NPC dies. Health must
 * survive the XP award: 70 and 555 on the page, on the timeline, and in the database itself.
 */
test("seed scenario: combat + disconnect + NPC death + XP award keeps health at 70", async ({ page, serverInfo, signInAs }) => {
  const service = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const ithaqua = await createPlayer(service, { name: `Ithaqua ${Date.now()}`, maxHealth: 100, experiencePoints: 554 });

  await signInAs(page, "admin");
  await page.goto("/combat");
  await page.getByLabel("Find player").fill(ithaqua.name);
  await page.getByLabel("Player", { exact: true }).selectOption({ label: `${ithaqua.name} (100/100 HP, 554 XP)` });
  await page.getByLabel("NPC", { exact: true }).selectOption("dr-francis-morgan");
  await page.getByRole("button", { name: "Start encounter" }).click();

  const health = page.getByTestId("player-health");
  // One round at a time until Ithaqua has taken 20 damage.
  for (const expected of ["90", "80"]) {
    await page.getByRole("button", { name: "Advance" }).click();
    await expect(health).toHaveText(expected);
  }
  await page.getByRole("button", { name: "Disconnect player" }).click();
  await expect(page.getByText("Player (disconnected — fighting on)")).toBeVisible();
  // The fight continues server-side until the NPC dies.
  await page.getByLabel("Rounds").fill("10");
  await page.getByRole("button", { name: "Advance" }).click();
  await expect(page.getByText("over: NPC defeated")).toBeVisible();
  await expect(health).toHaveText("70");
  await expect(page.getByTestId("player-xp")).toHaveText("555");

  // The player's timeline shows exactly the four changes.
  await page.getByRole("link", { name: "Health timeline →" }).click();
  await expect(page.getByRole("heading", { name: ithaqua.name })).toBeVisible();
  const ledgerRows = page.getByRole("region", { name: "Ledger" }).locator("tbody tr");
  await expect(ledgerRows).toHaveCount(4);
  await expect(ledgerRows.nth(0)).toContainText("554 → 555");
  await expect(ledgerRows.nth(1)).toContainText("80 → 70");
  await expect(ledgerRows.nth(2)).toContainText("90 → 80");
  await expect(ledgerRows.nth(3)).toContainText("100 → 90");
  // Every change is marked on the health chart (the XP gain too). Changes a few ms apart share a
  // cluster marker that shows their count, so the marked changes add up to the four rows.
  const timeline = page.getByRole("region", { name: "Health timeline" });
  await expect(timeline.locator(".marker.reason-damage, .marker-cluster").first()).toBeVisible();
  await expect(async () => {
    const counts = await timeline.locator(".marker, .marker-cluster").evaluateAll((elements) =>
      elements.map((element) => (element.classList.contains("marker-cluster") ? Number(element.textContent) : 1)),
    );
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(4);
  }).toPass({ timeout: 10_000 });

  // And the database itself, read directly (not through the app), says 70 / 555.
  expect(readPlayerFromDatabase(serverInfo.databaseFile, ithaqua.id)).toMatchObject({ health: 70, experiencePoints: 555 });
  expect(readLedgerFromDatabase(serverInfo.databaseFile, ithaqua.id).map((row) => [row.field, row.before, row.after])).toEqual([
    ["health", 100, 90],
    ["health", 90, 80],
    ["health", 80, 70],
    ["experience", 554, 555],
  ]);
});
