import { expect, test } from "./fixtures";
import { createPlayer, readPlayerFromDatabase } from "../helpers/combat-fixtures";

/** Issue 25, item 2: act from the record, however far back the change sits. */

test("support reverts a change 500 rows back from the ledger row itself; the preview names the change", async ({ page, serverInfo, signInAs, db }) => {
  const player = await createPlayer({ baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken }, { name: `Trapped ${Date.now()}`, maxHealth: 1_000 });
  const call = (path: string, body: unknown) =>
    fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}/${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  // The bugged trap, then 500 XP gains after it: the trap sits 501 rows back, on ledger page 3.
  expect((await call("damage", { amount: 300, source: "trap:bugged" })).status).toBe(200);
  const trap = db.prepare(`SELECT "id", "changeId" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id" DESC LIMIT 1`).get(player.id) as { id: number; changeId: string };
  for (let start = 0; start < 500; start += 25) {
    await Promise.all(Array.from({ length: 25 }, () => call("experience", { amount: 1 })));
  }
  expect((db.prepare(`SELECT COUNT(*) AS n FROM "PlayerEvent" WHERE "playerId" = ? AND "id" > ?`).get(player.id, trap.id) as { n: number }).n).toBeGreaterThanOrEqual(500);

  await signInAs(page, "support");
  await page.goto(`/players/${player.id}`);
  const ledger = page.getByRole("region", { name: "Ledger" });
  const trapRow = ledger.locator(`tr[data-event-id="${trap.id}"]`);
  for (let pageNumber = 1; pageNumber < 10 && !(await trapRow.isVisible()); pageNumber += 1) {
    await ledger.getByRole("button", { name: "Older →" }).click();
    await expect(ledger.getByRole("status")).toContainText(`Page ${pageNumber + 1}`);
  }
  await expect(trapRow).toContainText("1000 → 700");

  // "Show state here" moves "As of" to that row's moment: any moment, not the newest 200 only.
  await trapRow.getByRole("button", { name: `Show state here: event #${trap.id}` }).click();
  const asOf = page.getByRole("region", { name: "As of" });
  await expect(asOf.getByRole("status").first()).toContainText(`Right after event #${trap.id}: health 1,000 → 700 (damage`);
  // The trap is the player's first change: nothing earlier, 500 later.
  await expect(asOf.getByRole("button", { name: "← Earlier change" })).toBeDisabled();
  await expect(asOf.getByRole("button", { name: "Later change →" })).toBeEnabled();

  await trapRow.getByRole("button", { name: `Revert this change… event #${trap.id}` }).click();
  const dialog = page.getByRole("dialog", { name: "Revert this change" });
  await expect(dialog).toContainText("Revert of health 1,000 → 700 (damage by");
  await expect(dialog.getByRole("row", { name: /Health\s+700\s+1,000/ })).toBeVisible();
  await expect(dialog.getByLabel("Reason (required, audited)")).toBeFocused();
  await dialog.getByLabel("Reason (required, audited)").fill("Ticket #6001: bugged −300 trap");
  await dialog.getByRole("button", { name: "Apply revert" }).click();
  await expect(dialog.getByRole("status")).toContainText("health 700 → 1000");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  expect(readPlayerFromDatabase(serverInfo.databaseFile, player.id)).toMatchObject({ health: 1_000 });
  const audit = db.prepare(`SELECT "action", "reason" FROM "AuditEntry" WHERE "playerId" = ?`).all(player.id);
  expect(audit).toEqual([{ action: "player.revert", reason: "Ticket #6001: bugged −300 trap" }]);
});

test("As of reaches a moment by event id and by time", async ({ page, serverInfo, signInAs, db }) => {
  const player = await createPlayer({ baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken }, { name: `Timed ${Date.now()}`, maxHealth: 100 });
  for (const amount of [10, 20]) {
    await fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}/damage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ amount }),
    });
  }
  const [first] = db.prepare(`SELECT "id", "at" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id" ASC`).all(player.id) as Array<{ id: number; at: string }>;
  await signInAs(page, "viewer");
  await page.goto(`/players/${player.id}`);
  const asOf = page.getByRole("region", { name: "As of" });
  await expect(asOf.getByRole("status").first()).toContainText("health 90 → 70");
  await asOf.getByLabel("Event id").fill(String(first!.id));
  await asOf.getByRole("button", { name: "Show" }).click();
  await expect(asOf.getByRole("status").first()).toContainText(`Right after event #${first!.id}: health 100 → 90`);
  await expect(page).toHaveURL(new RegExp(`event=${first!.id}`));
  await asOf.getByRole("button", { name: "Now" }).click();
  await expect(asOf.getByRole("status").first()).toContainText("health 90 → 70");
});
