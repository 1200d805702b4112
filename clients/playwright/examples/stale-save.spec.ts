/**
 * A game server's XP path saves the whole player it read a moment ago, after combat already wrote
 * fresher health. Pnakotic never lets that stale copy overwrite the fresher health: the save is
 * either refused (409 stale_version, nothing written) or merged (only the fields the save changed
 * are written, health stays). Both answers are correct; a silent overwrite is the bug.
 */
import { StaleDataError } from "@pnakotic/client";
import { asSave, expect, expectHealth, expectLedger, expectNoIntegrityFindings, expectStat, hit, readPlayer, test } from "@pnakotic/playwright";

test("a stale whole save is merged or refused, never a silent overwrite of health", async ({ pnakotic, testPlayer }) => {
  const copy = await readPlayer(pnakotic, testPlayer); // version 1, health 100
  await hit(pnakotic, testPlayer, 30); // combat: version 2, health 70

  // What GET returned, with the XP path's change: the save names the version it read (1).
  const outcome = await pnakotic.savePlayer(copy.id, asSave(copy, { experiencePoints: copy.experiencePoints + 5 }), copy.version).then(
    (saved) => ({ merged: saved }),
    (error: unknown) => {
      if (error instanceof StaleDataError) return { refused: error };
      throw error;
    },
  );
  if ("refused" in outcome) {
    expect(outcome.refused.code).toBe("stale_version");
    await expectStat(pnakotic, testPlayer, "experience", 0);
  } else {
    expect(outcome.merged.player.health).toBe(70);
    await expectStat(pnakotic, testPlayer, "experience", 5);
  }
  await expectHealth(pnakotic, testPlayer, 70);
  await expectLedger(pnakotic, testPlayer).toTell([100, 70]);
  await expectNoIntegrityFindings(pnakotic, [testPlayer]);
});
