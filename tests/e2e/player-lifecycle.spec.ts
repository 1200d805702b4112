import { expect, test } from "./fixtures";
import { createPlayer, readPlayerFromDatabase } from "../helpers/combat-fixtures";

/**
 * Issue 24, item 2 in the console: an archived player drops out of the players list and the combat
 * lab's picker; a purged test player shows on the integrity page as a purge, not as a finding.
 */
test("an archived player leaves the list and the lab's picker; a purged test player is listed as a purge", async ({ page, serverInfo, signInAs }) => {
  const service = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const archived = await createPlayer(service, { name: `Archived ${Date.now()}` });
  const testPlayer = await createPlayer(service, { name: `QA purge ${Date.now()}`, testTag: "e2e" });
  await signInAs(page, "admin");

  // Archive and purge as the signed-in admin (cookie + Origin, as the console sends them).
  const headers = { Origin: serverInfo.baseUrl };
  expect((await page.request.delete(`/api/v1/players/${archived.id}`, { headers })).status()).toBe(200);
  expect((await page.request.post(`/api/v1/players/${testPlayer.id}/purge`, { headers })).status()).toBe(200);
  expect(readPlayerFromDatabase(serverInfo.databaseFile, testPlayer.id)).toBeUndefined();

  await page.goto("/players");
  await page.getByLabel("Search players").fill(archived.name);
  await expect(page.getByRole("row").filter({ hasText: archived.name })).toHaveCount(0);
  await page.goto("/combat");
  await page.getByLabel("Find player").fill(archived.name);
  await expect(page.getByLabel("Player", { exact: true }).getByRole("option", { name: new RegExp(archived.name) })).toHaveCount(0);

  await page.goto("/integrity");
  await page.getByRole("button", { name: "Run check now" }).click();
  const purges = page.getByRole("table", { name: "Purged test players" });
  const row = purges.getByRole("row").filter({ hasText: testPlayer.name });
  await expect(row).toContainText("e2e");
  await expect(row).toContainText(/e2e-admin/);
  await expect(page.getByRole("region", { name: /Latest check/ }).getByRole("row").filter({ hasText: testPlayer.name })).toHaveCount(0);
});
