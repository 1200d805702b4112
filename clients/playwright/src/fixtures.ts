import { randomUUID } from "node:crypto";
import { test as base } from "@playwright/test";
import type { Page } from "@playwright/test";
import { createPnakoticClient, PnakoticApiError } from "@pnakotic/client";
import type { CreatePlayerInput, Player, PnakoticClient } from "@pnakotic/client";
import { readPnakoticEnv } from "./config.ts";
import type { PnakoticEnv } from "./config.ts";
import { PlayerPage } from "./pages/player-page.ts";

export type TestPlayerOptions = Partial<Omit<CreatePlayerInput, "testTag">>;

export interface PnakoticFixtures {
  /** Settings from the environment (PNAKOTIC_URL, PNAKOTIC_TOKEN, …; see config.ts). */
  pnakoticEnv: PnakoticEnv;
  /** The typed client (@pnakotic/client) with PNAKOTIC_TOKEN. */
  pnakotic: PnakoticClient;
  /** What `testPlayer` is created with (override with `test.use({ testPlayerOptions: { … } })`). */
  testPlayerOptions: TestPlayerOptions;
  /** Creates more test players; each is purged after the test, pass or fail. */
  createTestPlayer: (options?: TestPlayerOptions) => Promise<Player>;
  /** A player created for this test, tagged as a test player, and purged after it, pass or fail. */
  testPlayer: Player;
  /** A console page signed in as PNAKOTIC_STAFF_USER (the test is skipped when no staff login is set). */
  staffPage: Page;
  /** The console's player page objects on `staffPage`. */
  playerPage: PlayerPage;
}

/**
 * Purges a test player; one already gone (the test purged it itself) is fine. Anything else is an
 * error the run must see: a player left behind would sit in the console's lists.
 */
async function purge(client: PnakoticClient, player: Player): Promise<void> {
  try {
    await client.purgeTestPlayer(player.id);
  } catch (error) {
    if (error instanceof PnakoticApiError && error.code === "player_not_found") return;
    if (error instanceof PnakoticApiError && error.status === 403) {
      throw new Error(`could not purge test player ${player.name} (${player.id}): PNAKOTIC_TOKEN needs scope test-players (npm run admin -- token create qa-kit --role service --scope test-players) or the admin role`, { cause: error });
    }
    throw error;
  }
}

export const test = base.extend<PnakoticFixtures>({
  // eslint-disable-next-line no-empty-pattern
  pnakoticEnv: async ({}, use) => {
    await use(readPnakoticEnv());
  },
  pnakotic: async ({ pnakoticEnv }, use) => {
    await use(createPnakoticClient({ baseUrl: pnakoticEnv.url, token: pnakoticEnv.token }));
  },
  testPlayerOptions: [{}, { option: true }],
  createTestPlayer: async ({ pnakotic, pnakoticEnv }, use, testInfo) => {
    const created: Player[] = [];
    try {
      await use(async (options = {}) => {
        // Unique and recognisable: the test's title, then a random suffix.
        const title = testInfo.title.replace(/[^\p{L}\p{N} ]+/gu, " ").trim().slice(0, 40);
        const name = `${options.name ?? `QA ${title}`} ${randomUUID().slice(0, 8)}`.slice(0, 64);
        const player = await pnakotic.createPlayer({ ...options, name, testTag: pnakoticEnv.testTag });
        created.push(player);
        return player;
      });
    } finally {
      // Teardown runs after a pass, a failure, a thrown error or a timeout alike.
      const failures: unknown[] = [];
      for (const player of created) await purge(pnakotic, player).catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw failures[0];
    }
  },
  testPlayer: async ({ createTestPlayer, testPlayerOptions }, use) => {
    await use(await createTestPlayer(testPlayerOptions));
  },
  staffPage: async ({ page, pnakoticEnv }, use, testInfo) => {
    testInfo.skip(pnakoticEnv.staff === null, "set PNAKOTIC_STAFF_USER and PNAKOTIC_STAFF_PASSWORD for console checks");
    const staff = pnakoticEnv.staff!;
    // Signed in through the API from the page's own request context: the session cookie lands in
    // the browser context, as after the sign-in form.
    const response = await page.request.post(`${pnakoticEnv.url}/api/v1/auth/session`, {
      data: { username: staff.username, password: staff.password },
      headers: { Origin: new URL(pnakoticEnv.url).origin },
    });
    if (!response.ok()) throw new Error(`staff sign-in as ${staff.username} failed: HTTP ${response.status()} ${await response.text()}`);
    await use(page);
  },
  playerPage: async ({ staffPage, pnakoticEnv }, use) => {
    await use(new PlayerPage(staffPage, pnakoticEnv.url));
  },
});
