/**
 * Support corrects a player's health while combat is still hitting them. The correction was
 * reviewed against health 100; a hit lands before it is applied. The console refuses it (409),
 * shows the current value and asks again — it never overwrites the hit. Needs a support or admin
 * login (PNAKOTIC_STAFF_USER / PNAKOTIC_STAFF_PASSWORD); skipped without one.
 */
import { expectLedger, expectNoIntegrityFindings, hit, test } from "@pnakotic/playwright";

test("a correction racing combat gets the 409 flow, then applies against the current health", async ({ pnakotic, testPlayer, playerPage }) => {
  await playerPage.goto(testPlayer);
  await playerPage.expectLive();
  // Paused, the page keeps its view of version 1 (live, it would ask for a new review at once).
  await playerPage.pause();
  await playerPage.correction.review(50, "Ticket #4711: compensation");

  await hit(pnakotic, testPlayer, 10); // combat lands first: 100 → 90

  await playerPage.correction.apply();
  await playerPage.correction.expectConflict(90);
  await playerPage.correction.reviewAgain(90);
  await playerPage.correction.apply();
  await playerPage.correction.expectApplied(90, 50);

  await expectLedger(pnakotic, testPlayer).toTell([100, 90, 50]);
  await expectNoIntegrityFindings(pnakotic, [testPlayer]);
});
