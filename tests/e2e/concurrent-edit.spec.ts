import { expect, test } from "./fixtures";
import { createPlayer, readPlayerFromDatabase } from "../helpers/combat-fixtures";

/** Two staff members edit the same player: the second gets the 409 flow, never a silent overwrite. */
test("the second of two concurrent corrections is refused, shown the current value, and asked again", async ({ browser, serverInfo, signInAs }) => {
  const player = await createPlayer({ baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken }, { name: `Contested ${Date.now()}`, maxHealth: 100 });
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await signInAs(first, "support");
  await signInAs(second, "admin");
  for (const page of [first, second]) await page.goto(`/players/${player.id}`);
  // The second pauses live updates, so its view stays at version 1 until it submits (live, it would
  // learn of the first's write at once and the confirmation would ask for a new review instead).
  await second.getByRole("button", { name: "Pause" }).click();
  await expect(second.getByRole("status", { name: "Updates: Paused" })).toBeVisible();

  // Both open the form at version 1 (health 100). Second prepares and reviews first…
  const secondForm = second.getByRole("form", { name: "Correct health" });
  await secondForm.getByLabel("New health").fill("90");
  await secondForm.getByLabel("Reason (required)").fill("admin: compensation");
  await secondForm.getByRole("button", { name: "Review correction" }).click();

  // …but the first applies a correction meanwhile.
  const firstForm = first.getByRole("form", { name: "Correct health" });
  await firstForm.getByLabel("New health").fill("50");
  await firstForm.getByLabel("Reason (required)").fill("support: ticket #1");
  await firstForm.getByRole("button", { name: "Review correction" }).click();
  await firstForm.getByRole("button", { name: "Apply correction" }).click();
  await expect(firstForm.getByRole("status")).toContainText("100 → 50");

  // The second now confirms its stale correction: refused with the current value shown.
  await secondForm.getByRole("button", { name: "Apply correction" }).click();
  const conflict = secondForm.getByRole("alert");
  await expect(conflict).toContainText("Not applied: the player changed while you were editing");
  await expect(conflict).toContainText("It is now 50 at version 2");
  expect(readPlayerFromDatabase(serverInfo.databaseFile, player.id)).toMatchObject({ health: 50, version: 2 });
  // Focus moves to the way forward.
  await expect(secondForm.getByRole("button", { name: "Review again with health 50" })).toBeFocused();

  // Asked again, the confirmation is against the current value, and it goes through.
  await secondForm.getByRole("button", { name: "Review again with health 50" }).click();
  const confirmation = secondForm.getByRole("group", { name: "Confirm correction" });
  await expect(confirmation).toContainText("health from 50 to 90");
  await expect(secondForm.getByText("Preview: health 50 →")).toBeVisible();
  await expect(confirmation.getByRole("button", { name: "Apply correction" })).toBeFocused();
  await confirmation.getByRole("button", { name: "Apply correction" }).click();
  await expect(secondForm.getByRole("status")).toContainText("50 → 90");
  expect(readPlayerFromDatabase(serverInfo.databaseFile, player.id)).toMatchObject({ health: 90, version: 3 });
});

test("a confirmation whose player changed cannot be applied until reviewed again; Escape cancels", async ({ page, serverInfo, signInAs }) => {
  const server = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const player = await createPlayer(server, { name: `Moving ${Date.now()}`, maxHealth: 100 });
  await signInAs(page, "support");
  // Refresh every 5 s (from the URL), so the page notices the game server's write.
  await page.goto(`/players/${player.id}?refresh=5s`);
  const form = page.getByRole("form", { name: "Correct health" });

  // Untouched fields are not marked invalid.
  await expect(form.getByLabel("New health")).not.toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Reason (required)")).not.toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("New health").fill("60");
  await form.getByLabel("Reason (required)").fill("ticket #77: refund");
  await form.getByRole("button", { name: "Review correction" }).click();
  const confirmation = form.getByRole("group", { name: "Confirm correction" });
  await expect(confirmation).toContainText("health from 100 to 60");

  // Escape cancels the confirmation and returns focus to the review button.
  await page.keyboard.press("Escape");
  await expect(confirmation).toHaveCount(0);
  await expect(form.getByRole("button", { name: "Review correction" })).toBeFocused();
  await form.getByRole("button", { name: "Review correction" }).click();
  await expect(confirmation).toBeVisible();

  // A game server hits the player while the confirmation is open.
  const response = await fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}/damage`, {
    method: "POST",
    headers: { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ amount: 10 }),
  });
  expect(response.status).toBe(200);

  // Once the page has the new state, Apply is disabled: it would be a guaranteed 409.
  await expect(confirmation.getByRole("alert")).toContainText("The player has changed since you reviewed this", { timeout: 15_000 });
  await expect(confirmation.getByRole("button", { name: "Apply correction" })).toBeDisabled();

  // Reviewing again confirms against the current value (90), and applies.
  await confirmation.getByRole("button", { name: "Review again with health 90" }).click();
  await expect(confirmation).toContainText("health from 90 to 60");
  await confirmation.getByRole("button", { name: "Apply correction" }).click();
  await expect(form.getByRole("status")).toContainText("Health corrected: 90 → 60");
  expect(readPlayerFromDatabase(serverInfo.databaseFile, player.id)).toMatchObject({ health: 60, version: 3 });
});
