import { expect, test } from "./fixtures";
import { createPlayer } from "../helpers/combat-fixtures";

/** Stored strings (names, reasons) render as text: no markup, no script, whatever they contain. */
test("an XSS payload in a player name and a correction reason renders escaped", async ({ page, serverInfo, signInAs }) => {
  const payload = `<img src=x onerror="window.__pwned=1">`;
  const player = await createPlayer({ baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken }, { name: `${payload} ${Date.now()}` });
  await signInAs(page, "support");
  await page.goto(`/players/${player.id}`);
  const form = page.getByRole("form", { name: "Correct health" });
  await form.getByLabel("New health").fill("77");
  await form.getByLabel("Reason (required)").fill(`<script>window.__pwned=2</script>`);
  await form.getByRole("button", { name: "Review correction" }).click();
  await form.getByRole("button", { name: "Apply correction" }).click();
  await expect(form.getByRole("status")).toContainText("100 → 77");

  await expect(page.getByRole("heading", { name: player.name })).toContainText(payload);
  await page.goto("/audit");
  await expect(page.getByRole("cell", { name: "<script>window.__pwned=2</script>" })).toBeVisible();
  await page.goto("/players");
  await expect(page.getByRole("link", { name: player.name })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator("img[src=x]").count()).toBe(0);
});

test("an expired session sends the user back to sign-in, then back to where they were", async ({ page, context, serverInfo, signInAs }) => {
  await signInAs(page, "viewer");
  await page.goto("/players");
  await expect(page.getByRole("heading", { level: 1, name: "Players" })).toBeVisible();
  // The session ends (expired or signed out elsewhere): the cookie no longer opens anything.
  await context.clearCookies();
  await page.getByRole("link", { name: "Errors" }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Username").fill(serverInfo.usernames.viewer);
  await page.getByLabel("Password").fill(serverInfo.passwords.viewer);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Errors" })).toBeVisible();
});
