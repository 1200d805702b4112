import { expect, test } from "./fixtures";
import { createPlayer, readPlayerFromDatabase } from "../helpers/combat-fixtures";

test("support corrects health with a reason; the timeline and the audit log show it", async ({ page, serverInfo, signInAs }) => {
  const player = await createPlayer({ baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken }, { name: `Correctable ${Date.now()}`, maxHealth: 100 });
  await signInAs(page, "support");
  await page.goto(`/players/${player.id}`);
  const form = page.getByRole("form", { name: "Correct health" });
  await form.getByLabel("New health").fill("42");
  await form.getByLabel("Reason (required)").fill("Ticket #4711: trap hit twice");
  await expect(form.getByText("Preview: health 100 →")).toContainText("42");
  await form.getByRole("button", { name: "Review correction" }).click();
  await form.getByRole("button", { name: "Apply correction" }).click();
  await expect(form.getByRole("status")).toContainText("Health corrected: 100 → 42");

  const ledger = page.getByRole("region", { name: "Ledger" });
  await expect(ledger.locator("tbody tr").first()).toContainText("100 → 42");
  await expect(ledger.locator("tbody tr").first()).toContainText("correction");
  await expect(page.getByRole("region", { name: "Health timeline" }).locator(".marker.reason-correction")).toHaveCount(1);
  expect(readPlayerFromDatabase(serverInfo.databaseFile, player.id)).toMatchObject({ health: 42 });

  await page.getByRole("link", { name: "Audit" }).click();
  const row = page.getByRole("row", { name: new RegExp(player.name) });
  await expect(row).toContainText("player.health_correction");
  await expect(row).toContainText("Ticket #4711: trap hit twice");
  await expect(row).toContainText("health 100 → 42");
});

test("a viewer neither sees nor can use the correction; the API refuses it", async ({ page, serverInfo, signInAs }) => {
  const player = await createPlayer({ baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken }, { name: `Viewer-proof ${Date.now()}` });
  await signInAs(page, "viewer");
  await page.goto(`/players/${player.id}`);
  await expect(page.getByRole("heading", { name: player.name })).toBeVisible();
  await expect(page.getByRole("form", { name: "Correct health" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Respawn" })).toHaveCount(0);
  // The server enforces the role regardless of what the page shows.
  const status = await page.evaluate(async (id) => {
    const response = await fetch(`/api/v1/players/${id}/health-corrections`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ health: 1, reason: "viewer trying anyway" }),
    });
    return response.status;
  }, player.id);
  expect(status).toBe(403);
  expect(readPlayerFromDatabase(serverInfo.databaseFile, player.id)).toMatchObject({ health: 100, version: 1 });
});
