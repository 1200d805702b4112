import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import type { ServerInfo } from "./fixtures";
import { createPlayer } from "../helpers/combat-fixtures";

/**
 * Live updates by server push: a game server's write shows on an open page within 1 s (the
 * polling fallback would take 10 s, the default interval). The delay is measured from the API's
 * answer to the moment the page's DOM shows the new value.
 */
async function damage(serverInfo: ServerInfo, playerId: string, amount: number): Promise<number> {
  const response = await fetch(`${serverInfo.baseUrl}/api/v1/players/${playerId}/damage`, {
    method: "POST",
    headers: { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ amount }),
  });
  expect(response.status).toBe(200);
  return Date.now();
}

/** Milliseconds from `writtenAt` until `selector` is in the DOM (bounded by 3 s, far above the 1 s asserted). */
async function delayUntil(page: Page, selector: string, writtenAt: () => Promise<number>): Promise<number> {
  const appeared = page.waitForSelector(selector, { state: "attached", timeout: 3_000 }).then(() => Date.now());
  const written = await writtenAt();
  return (await appeared) - written;
}

test.describe("live updates", () => {
  test("the player page, the players list and the overview show a write within 1 s", async ({ page, serverInfo, signInAs }) => {
    const service = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
    const player = await createPlayer(service, { name: `Live ${Date.now()}`, maxHealth: 100 });
    await signInAs(page, "viewer");

    await page.goto(`/players/${player.id}`);
    await expect(page.getByRole("status", { name: "Updates: Live" })).toBeVisible();
    await expect(page.getByRole("img", { name: "100 of 100 health" })).toBeVisible();
    const onPlayerPage = await delayUntil(page, '[aria-label="90 of 100 health"]', () => damage(serverInfo, player.id, 10));
    // The ledger follows too (newest first).
    await expect(page.getByRole("region", { name: "Ledger" }).locator("tbody tr").first()).toContainText("100 → 90");

    await page.goto(`/players`);
    await page.getByLabel("Search players").fill(player.name);
    // Other tests' players may also stand at 90 / 100: look inside this player's row only, and wait
    // until the (debounced) search has left that row alone in the table.
    const row = page.getByRole("row").filter({ hasText: player.name });
    await expect(row.getByRole("img", { name: "90 of 100 health" })).toBeVisible();
    await expect(page.locator("tbody tr")).toHaveCount(1);
    await expect(page.getByRole("status", { name: "Updates: Live" })).toBeVisible();
    const onPlayersList = await delayUntil(page, 'tbody [aria-label="80 of 100 health"]', () => damage(serverInfo, player.id, 10));

    await page.goto(`/`);
    const deadTile = page.getByRole("link", { name: /^Dead/ });
    await expect(deadTile).toBeVisible();
    await expect(page.getByRole("status", { name: "Updates: Live" })).toBeVisible();
    const before = await deadTile.locator(".tile-value").innerText();
    const deadBefore = Number(before.trim().replaceAll(",", ""));
    const onOverview = await delayUntil(page, `a[href="/players?status=dead"] .tile-value:text-matches("^${deadBefore + 1}$")`, () => damage(serverInfo, player.id, 1_000));

    console.log(`live delay: player page ${onPlayerPage} ms, players list ${onPlayersList} ms, overview ${onOverview} ms`);
    expect(onPlayerPage).toBeLessThan(1_000);
    expect(onPlayersList).toBeLessThan(1_000);
    expect(onOverview).toBeLessThan(1_000);
  });

  test("when the stream cannot connect, the header says Polling and the page still refreshes on the interval", async ({ page, serverInfo, signInAs }) => {
    const service = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
    const player = await createPlayer(service, { name: `Polling ${Date.now()}`, maxHealth: 100 });
    await page.route("**/api/v1/live", (route) => route.fulfill({ status: 503, contentType: "application/problem+json", body: JSON.stringify({ code: "live_streams_exhausted" }) }));
    await signInAs(page, "viewer");
    await page.goto(`/players/${player.id}`);
    await expect(page.getByRole("status", { name: "Updates: Polling" })).toBeVisible();
    await page.getByLabel("Refresh every").selectOption("5000");
    await damage(serverInfo, player.id, 10);
    await expect(page.getByRole("img", { name: "90 of 100 health" })).toBeVisible({ timeout: 8_000 });
  });

  test("Pause stops live updates and says so", async ({ page, signInAs }) => {
    await signInAs(page, "viewer");
    await page.goto("/");
    await expect(page.getByRole("status", { name: "Updates: Live" })).toBeVisible();
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByRole("status", { name: "Updates: Paused" })).toBeVisible();
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByRole("status", { name: "Updates: Live" })).toBeVisible();
  });
});
