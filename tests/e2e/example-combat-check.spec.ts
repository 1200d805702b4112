/**
 * The README's "Writing a combat check" example: it uses only the documented helpers. Copy it to
 * start a new check.
 */
import { expect, test } from "./fixtures";
import { advanceUntil, createEncounter, createPlayer, disconnectPlayer, readPlayerFromDatabase } from "../helpers/combat-fixtures";

test("a nightgaunt fight after a disconnect leaves health and XP consistent", async ({ page, serverInfo, signInAs }) => {
  const server = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const player = await createPlayer(server, { name: `QA ${Date.now()}`, maxHealth: 100, experiencePoints: 0 });
  const fight = await createEncounter(server, { playerId: player.id, npc: "nightgaunt", seed: 7 });
  await advanceUntil(server, fight.id, (encounter) => encounter.roundsPlayed >= 1);
  await disconnectPlayer(server, fight.id);
  const end = await advanceUntil(server, fight.id, (encounter) => encounter.status !== "running");

  expect(end.outcome).toBe("npc_defeated");
  const stored = readPlayerFromDatabase(serverInfo.databaseFile, player.id)!;
  expect(stored.health).toBe(end.player.health);
  expect(stored.experiencePoints).toBe(15);

  // And a human sees the same on the player's page.
  await signInAs(page, "viewer");
  await page.goto(`/players/${player.id}`);
  await expect(page.getByRole("region", { name: "Ledger" }).locator("tbody tr").first()).toContainText("0 → 15");
});
