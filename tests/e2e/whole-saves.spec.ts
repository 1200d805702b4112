import { expect, test } from "./fixtures";
import { createPlayer } from "../helpers/combat-fixtures";

/**
 * A support agent working "my health went back to 100" sees every whole save on the player's page:
 * which version the game saved, that it was merged (health kept from combat) or refused, and by
 * whom; the overview's stale-saves tile leads to the refused ones.
 */
test("whole saves: merged and refused attempts on the player page and behind the overview tile", async ({ page, serverInfo, signInAs }) => {
  const service = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const player = await createPlayer(service, { name: `Saver ${Date.now()}`, maxHealth: 100, experiencePoints: 554 });
  const headers = { Authorization: `Bearer ${serverInfo.serviceToken}`, "Content-Type": "application/json" };
  const copy = (await (await fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}`, { headers })).json()) as Record<string, unknown>;
  await fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}/damage`, { method: "POST", headers: { ...headers, "Idempotency-Key": crypto.randomUUID() }, body: JSON.stringify({ amount: 30 }) });
  const save = (prefer?: string) =>
    fetch(`${serverInfo.baseUrl}/api/v1/players/${player.id}`, {
      method: "PUT",
      headers: { ...headers, "If-Match": '"1"', ...(prefer ? { Prefer: prefer } : {}) },
      body: JSON.stringify({ ...copy, experiencePoints: 555 }),
    });
  expect((await save("merge=none")).status).toBe(409);
  expect((await save()).status).toBe(200);

  await signInAs(page, "support");
  await page.goto(`/players/${player.id}`);
  const saves = page.getByRole("region", { name: "Whole saves" });
  const rows = saves.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("merged");
  await expect(rows.nth(0)).toContainText("from the save: experiencePoints; kept from others: health");
  await expect(rows.nth(1)).toContainText("refused");
  await expect(rows.nth(1)).toContainText("conflicting: health");

  await page.goto("/");
  await page.getByRole("link", { name: /Stale saves refused/ }).click();
  await expect(page).toHaveURL(/\/saves\?outcome=refused/);
  await expect(page.getByRole("region", { name: "Saves refused" }).locator("tbody tr").filter({ hasText: player.id })).toHaveCount(1);
});
