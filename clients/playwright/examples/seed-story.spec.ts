/**
 * The seed story, the bug Pnakotic exists for: Ithaqua (100 HP, 554 XP) fights Dr. Francis Morgan,
 * takes 20 damage, disconnects; the fight goes on until the doctor falls and the XP award lands.
 * Health must survive the award: 70, and the ledger must tell 100 → 90 → 80 → 70.
 */
import { expect, expectHealth, expectLedger, expectNoIntegrityFindings, expectStat, hit, startEncounter, test } from "@pnakotic/playwright";

test.use({ testPlayerOptions: { name: "Ithaqua", maxHealth: 100, experiencePoints: 554 } });

test("combat, a disconnect, the NPC's death and the XP award keep health at 70", async ({ pnakotic, testPlayer }) => {
  // Deterministic: nothing happens until a round is played, and seed 1 plays the same fight every time.
  const fight = await startEncounter(pnakotic, testPlayer, { npc: "dr-francis-morgan", seed: 1 });
  expect((await fight.round()).player.health).toBe(90);
  expect((await fight.round()).player.health).toBe(80);
  await fight.disconnect();
  const end = await fight.untilOver();
  expect(end.outcome).toBe("npc_defeated");

  await expectHealth(pnakotic, testPlayer, 70);
  await expectStat(pnakotic, testPlayer, "experience", 555);
  await expectLedger(pnakotic, testPlayer).toTell([100, 90, 80, 70]);
  await expectLedger(pnakotic, testPlayer, "experience").toTell([554, 555]);
  await expectNoIntegrityFindings(pnakotic, [testPlayer]);
});

test("the console shows a hit live, on the player's page and in its ledger", async ({ pnakotic, testPlayer, playerPage }) => {
  await playerPage.goto(testPlayer);
  await playerPage.expectLive();
  await playerPage.expectHealth(100, 100);
  await hit(pnakotic, testPlayer, 10, { damageType: "claw", source: "npc:nightgaunt" });
  // No sleep, no reload: the page learns of the write through the live stream.
  await playerPage.expectHealth(90, 100);
  await expect(playerPage.newestLedgerRow()).toContainText("100 → 90");
});
