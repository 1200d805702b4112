import { expect, test } from "./fixtures";
import { createPlayer, readPlayerFromDatabase } from "../helpers/combat-fixtures";

/** Any stat a game keeps (issue: stats) and history you can undo (issue: history), through the browser. */
test("a spell (mana − 10, health + 15) from the game server shows on both timelines", async ({ page, serverInfo, signInAs }) => {
  const server = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const player = await createPlayer(server, { name: `Caster ${Date.now()}`, maxHealth: 100, health: 60 });
  const response = await fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}/stats`, {
    method: "POST",
    headers: { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ changes: [{ stat: "mana", op: "add", value: -10 }, { stat: "health", op: "add", value: 15 }], source: "spell:cure-light-wounds" }),
  });
  expect(response.status).toBe(200);
  expect(readPlayerFromDatabase(serverInfo.databaseFile, player.id)).toMatchObject({ health: 75 });

  await signInAs(page, "viewer");
  await page.goto(`/players/${player.id}`);
  const stats = page.getByRole("region", { name: "Stats" });
  await expect(stats.getByRole("row", { name: /Mana\s+40/ })).toBeVisible();
  // Mana's own timeline, and health's, each drawn from the ledger.
  await expect(stats.getByRole("region", { name: "Mana timeline" }).locator("svg")).toBeVisible();
  await expect(page.getByRole("region", { name: "Health timeline" }).locator("svg").first()).toBeVisible();
  const ledger = page.getByRole("region", { name: "Ledger" });
  await expect(ledger.getByRole("row", { name: /\bmana 50 → 40 -10 stat\b/ })).toBeVisible();
  await expect(ledger.getByRole("row", { name: /\bhealth 60 → 75 \+15 stat\b/ })).toBeVisible();
});

test("support restores a player to before a mistaken correction: the diff, the apply, the ledger", async ({ page, serverInfo, signInAs, db }) => {
  const server = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const player = await createPlayer(server, { name: `Ithaqua (restore) ${Date.now()}`, maxHealth: 100, experiencePoints: 554 });
  for (let round = 0; round < 3; round += 1) {
    await fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}/damage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ amount: 10 }),
    });
  }
  await signInAs(page, "support");
  await page.goto(`/players/${player.id}`);
  // The mistake: health set to 5 instead of 50.
  const form = page.getByRole("form", { name: "Correct health" });
  await form.getByLabel("New health").fill("5");
  await form.getByLabel("Reason (required)").fill("Ticket #5150: meant 50");
  await form.getByRole("button", { name: "Review correction" }).click();
  await form.getByRole("button", { name: "Apply correction" }).click();
  await expect(form.getByRole("status")).toContainText("70 → 5");

  // As of the change before the correction: health 70.
  const asOf = page.getByRole("region", { name: "As of" });
  await expect(asOf.getByRole("status").first()).toContainText("health 70 → 5");
  await asOf.getByRole("button", { name: "← Earlier change" }).click();
  await expect(asOf.getByRole("status").first()).toContainText("health 80 → 70");
  const state = asOf.getByRole("group", { name: "State as of the selected moment" }).or(asOf.locator("dl[aria-label='State as of the selected moment']"));
  await expect(state).toContainText("70");
  await asOf.getByRole("button", { name: "Preview restore to this moment" }).click();
  const preview = asOf.getByRole("form", { name: "Restore preview" });
  await expect(preview.getByRole("row", { name: /Health\s+5\s+70/ })).toBeVisible();
  await preview.getByLabel("Reason (required, audited)").fill("Undo ticket #5150's typo");
  await preview.getByRole("button", { name: "Apply restore" }).click();
  await expect(asOf.getByRole("status")).toContainText("health 5 → 70");

  // The health timeline marks the restore: three damages, the correction and now the restore
  // (changes seconds apart share a cluster marker that shows their count).
  const timeline = page.getByRole("region", { name: "Health timeline" });
  await expect(async () => {
    const counts = await timeline.locator(".marker, .marker-cluster").evaluateAll((elements) =>
      elements.map((element) => (element.classList.contains("marker-cluster") ? Number(element.textContent) : 1)),
    );
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(5);
  }).toPass({ timeout: 10_000 });

  const ledger = page.getByRole("region", { name: "Ledger" });
  await expect(ledger.locator("tbody tr").first()).toContainText("restore");
  await expect(ledger.locator("tbody tr").first()).toContainText("5 → 70");
  expect(readPlayerFromDatabase(serverInfo.databaseFile, player.id)).toMatchObject({ health: 70 });
  const audit = db.prepare(`SELECT "action", "reason" FROM "AuditEntry" WHERE "playerId" = ? AND "action" = 'player.restore'`).all(player.id);
  expect(audit).toEqual([{ action: "player.restore", reason: "Undo ticket #5150's typo" }]);
});

test("a stat declared by an admin shows on the player page without a restart, and support corrects it with a reason", async ({ page, serverInfo, signInAs, db }) => {
  const server = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const player = await createPlayer(server, { name: `Thirsty ${Date.now()}` });
  await signInAs(page, "admin");
  await page.goto(`/players/${player.id}`);
  const status = await page.evaluate(async () => {
    const response = await fetch("/api/v1/stats/thirst", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ label: "Thirst", min: 0, max: 50, default: 5 }),
    });
    return response.status;
  });
  expect(status).toBe(200);
  await page.reload();
  const stats = page.getByRole("region", { name: "Stats" });
  await expect(stats.getByRole("row", { name: /Thirst\s+5\s+0 … 50/ })).toBeVisible();

  const form = stats.getByRole("form", { name: "Correct a stat" });
  await form.getByLabel("Stat", { exact: true }).selectOption("thirst");
  await form.getByLabel("Set to").check();
  await form.getByLabel("New value").fill("20");
  await form.getByLabel("Reason for the stat correction (required, audited)").fill("Ticket #77: drank from the cursed well twice");
  await form.getByRole("button", { name: "Review thirst correction" }).click();
  await form.getByRole("button", { name: "Apply stat correction" }).click();
  await expect(form.getByRole("status")).toContainText("thirst 5 → 20");
  await expect(stats.getByRole("row", { name: /Thirst\s+20/ })).toBeVisible();
  const audit = db.prepare(`SELECT "action", "reason" FROM "AuditEntry" WHERE "playerId" = ?`).all(player.id);
  expect(audit).toEqual([{ action: "player.stat_correction", reason: "Ticket #77: drank from the cursed well twice" }]);
});

test("support corrects a stat by \"add 50\" with a preview and a confirmation; bounds are numbers and names, checked while typing", async ({ page, serverInfo, signInAs, db }) => {
  const player = await createPlayer({ baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken }, { name: `Drained ${Date.now()}` });
  const drained = await fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}/stats`, {
    method: "POST",
    headers: { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ changes: [{ stat: "mana", op: "add", value: -40 }], source: "spell:drain" }),
  });
  expect(drained.status).toBe(200);
  await signInAs(page, "support");
  await page.goto(`/players/${player.id}`);
  const form = page.getByRole("form", { name: "Correct a stat" });
  await form.getByLabel("Stat", { exact: true }).selectOption("mana");
  await expect(form.getByText("Mana is 10; bounds 0 … 50 (Max mana).")).toBeVisible();
  await form.getByLabel("Set to").check();
  await form.getByLabel("New value").fill("51");
  // Judged while typing, with the bound's number and name, before any submit.
  await expect(form.getByText("Mana must be between 0 … 50 (Max mana)")).toBeVisible();
  await expect(form.getByLabel("New value")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Add (+ or −)").check();
  await form.getByLabel("Amount to add").fill("50");
  await expect(form.getByText("Mana must be between")).toHaveCount(0);
  await form.getByLabel("Reason for the stat correction (required, audited)").fill("Ticket #88: drain hit twice");
  await expect(form.getByText("Preview: mana 10 →")).toContainText("50");
  await form.getByRole("button", { name: "Review mana correction" }).click();
  const confirm = form.getByRole("group", { name: "Confirm stat correction" });
  await expect(confirm).toContainText("Add mana: 10 → 50?");
  await expect(confirm.getByRole("button", { name: "Apply stat correction" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(form.getByRole("status")).toContainText("mana 10 → 50");
  // Focus lands on the result, not on BODY.
  await expect(form.getByRole("status")).toBeFocused();
  const row = db.prepare(`SELECT "before", "after", "reason" FROM "PlayerEvent" WHERE "playerId" = ? AND "field" = 'mana' ORDER BY "id" DESC LIMIT 1`).get(player.id);
  expect(row).toEqual({ before: 10, after: 50, reason: "correction" });
});
