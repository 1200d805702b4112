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

  // Asked again against the current value, the correction goes through.
  await secondForm.getByRole("button", { name: "Review again with health 50" }).click();
  await expect(secondForm.getByText("Preview: health 50 →")).toBeVisible();
  await secondForm.getByRole("button", { name: "Review correction" }).click();
  await secondForm.getByRole("button", { name: "Apply correction" }).click();
  await expect(secondForm.getByRole("status")).toContainText("50 → 90");
  expect(readPlayerFromDatabase(serverInfo.databaseFile, player.id)).toMatchObject({ health: 90, version: 3 });
});
