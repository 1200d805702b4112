import { expect, test } from "./fixtures";
import { createEncounter, createPlayer } from "../helpers/combat-fixtures";

/**
 * Game masters (viewer role) were told they could watch encounters but saw none: the combat lab
 * only showed an encounter its own user had just started. Now it lists the instance's encounters.
 */
test("a game master sees a running live encounter in the list and follows it", async ({ page, serverInfo, signInAs }) => {
  const service = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  const player = await createPlayer(service, { name: `Watched ${Date.now()}`, maxHealth: 100 });
  // A sturdy NPC that hits for 1: the fight outlasts the test by far, so "running" is not a race
  // against the NPC dying while the browser signs in.
  const encounter = await createEncounter(service, {
    playerId: player.id,
    customNpc: { name: "Sturdy shoggoth", health: 100_000, attackDamage: 1, experienceReward: 1 },
    mode: "live",
    roundIntervalMs: 500,
    seed: 3,
  });
  expect(encounter.status).toBe("running");

  await signInAs(page, "viewer");
  await page.goto("/combat");
  const list = page.getByRole("region", { name: "Encounters" });
  const row = list.getByRole("row").filter({ hasText: player.name });
  await expect(row).toContainText("running");
  await row.getByRole("button", { name: `Watch ${player.name} vs ${encounter.npc.name}` }).click();
  const panel = page.getByRole("region", { name: `${player.name} vs ${encounter.npc.name}` });
  await expect(panel).toBeVisible();
  // Following it: the round counter moves on its own (live mode plays every 500 ms).
  await expect(panel).toContainText(/round [1-9]/, { timeout: 10_000 });
  // Watching only: no controls to run it.
  await expect(page.getByRole("button", { name: "Advance" })).toHaveCount(0);
});
