import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { test as base, expect } from "@playwright/test";
import type { Page } from "@playwright/test";

export interface ServerInfo {
  baseUrl: string;
  /** The server's SQLite file: read it directly (helpers in tests/helpers/combat-fixtures.ts). */
  databaseFile: string;
  usernames: Record<StaffRole, string>;
  passwords: Record<StaffRole, string>;
  /** A service-role bearer token (what a game server uses). */
  serviceToken: string;
}

export type StaffRole = "admin" | "support" | "viewer";

interface Fixtures {
  serverInfo: ServerInfo;
  /** Signs `page` in through the sign-in form as the test user of that role. */
  signInAs: (page: Page, role: StaffRole) => Promise<void>;
  /** A read-only connection to the server's SQLite file: assert what the database holds, not what the app says. */
  db: Database.Database;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  serverInfo: async ({}, use) => {
    await use(JSON.parse(readFileSync("tests/.artifacts/e2e-server.json", "utf8")) as ServerInfo);
  },
  signInAs: async ({ serverInfo }, use) => {
    await use(async (page, role) => {
      await page.goto("/sign-in");
      await page.getByLabel("Username").fill(serverInfo.usernames[role]);
      await page.getByLabel("Password").fill(serverInfo.passwords[role]);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    });
  },
  db: async ({ serverInfo }, use) => {
    const db = new Database(serverInfo.databaseFile, { readonly: true, fileMustExist: true });
    try {
      await use(db);
    } finally {
      db.close();
    }
  },
});

export { expect };
