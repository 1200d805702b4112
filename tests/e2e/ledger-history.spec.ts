import Database from "better-sqlite3";
import { registerSqliteFunctions } from "../../lib/persistence/sqlite-functions.ts";
import { expect, test } from "./fixtures";
import { createPlayer } from "../helpers/combat-fixtures";

/**
 * History of any size: a player with 10,000 ledger rows. The ledger opens on the newest rows and
 * "Older →" reaches every row down to the first; the health chart stays a bounded number of
 * markers; the downloads hold every row. The rows are inserted straight into the server's SQLite
 * file (through the API the fixture alone would take minutes); what the page shows is checked
 * against that file.
 */
const ROWS = 10_000;

test("a 10,000-event player: newest first, paged to the very first row; bounded chart; full export", async ({ page, serverInfo, signInAs, db }) => {
  test.setTimeout(240_000);
  const service = { baseUrl: serverInfo.baseUrl, token: serverInfo.serviceToken };
  // A test player: its fixture history is written behind the ledger, so it is purged at the end and
  // the suite's closing integrity check judges only what went through the API.
  const player = await createPlayer(service, { name: `Busy ${Date.now()}`, maxHealth: 100, testTag: "e2e" });
  // Its UPDATE fires the ledger trigger, which hashes with sha3() (registered as the app does).
  const writer = registerSqliteFunctions(new Database(serverInfo.databaseFile));
  try {
    const insert = writer.prepare(
      `INSERT INTO "PlayerEvent" ("playerId", "at", "field", "delta", "before", "after", "reason", "detail", "actor", "requestId", "changeId", "playerVersion")
       VALUES (?, ?, 'health', ?, ?, ?, ?, NULL, 'e2e-fixture', NULL, ?, ?)`,
    );
    const start = Date.now() - ROWS * 1_000;
    writer.transaction(() => {
      let health = 100;
      for (let n = 0; n < ROWS; n += 1) {
        const delta = health <= 10 ? 5 : n % 3 === 0 ? 5 : -5;
        insert.run(player.id, new Date(start + n * 1_000).toISOString().replace("Z", "+00:00"), delta, health, health + delta, delta < 0 ? "damage" : "heal", `e2e-${player.id}-${n}`, n + 2);
        health += delta;
      }
      // The stored state agrees with the ledger's last row, as after real writes (the integrity
      // check, which other specs run, compares the two).
      writer.prepare(`UPDATE "Player" SET "health" = ?, "version" = ? WHERE "id" = ?`).run(health, ROWS + 1, player.id);
    })();
  } finally {
    writer.close();
  }
  const stored = db.prepare(`SELECT "id" FROM "PlayerEvent" WHERE "playerId" = ? ORDER BY "id" DESC`).all(player.id) as Array<{ id: number }>;
  // The fixture's UPDATE of the stored state is ledgered too: the database's trigger adds one
  // "external" row after the inserted ones.
  const TOTAL = ROWS + 1;
  expect(stored).toHaveLength(TOTAL);

  await signInAs(page, "viewer");
  await page.goto(`/players/${player.id}`);
  const ledger = page.getByRole("region", { name: "Ledger" });
  const pageStatus = ledger.getByRole("status");
  const older = ledger.getByRole("button", { name: "Older →" });
  const seen: number[] = [];
  for (let pageNumber = 1; ; pageNumber += 1) {
    await expect(pageStatus).toContainText(`Page ${pageNumber} `);
    // Wait until the rows on screen are this page's (the previous page stays up while the next loads).
    await expect(ledger.locator("tbody tr").first()).toHaveAttribute("data-event-id", String(stored[seen.length]!.id));
    await expect(older).toBeEnabled({ enabled: pageNumber * 200 < TOTAL });
    const ids = await ledger.locator("tbody tr").evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-event-id"))));
    seen.push(...ids);
    if (pageNumber * 200 >= TOTAL) break;
    await older.click();
  }
  // Every row exactly once, newest first, down to the very first.
  expect(seen).toEqual(stored.map((row) => row.id));

  // The chart draws a bounded number of markers, clusters saying how many changes they hold.
  const timeline = page.getByRole("region", { name: "Health timeline" });
  await expect(timeline.locator(".marker-cluster").first()).toBeVisible();
  const markerCount = await timeline.locator(".marker, .marker-cluster").count();
  expect(markerCount).toBeLessThanOrEqual(160);
  const counted = await timeline.locator(".marker, .marker-cluster").evaluateAll((elements) =>
    elements.reduce((sum, element) => sum + (element.classList.contains("marker-cluster") ? Number(element.textContent?.replace("99+", "NaN")) : 1), 0),
  );
  // Cluster labels cap at "99+", so the exact sum is only checked when none is capped.
  if (!Number.isNaN(counted)) expect(counted).toBe(TOTAL);

  // The JSON download holds every row, as the API lists them.
  const download = await page.request.get(`/api/v1/players/${player.id}/events/export?format=json&order=desc`);
  expect(download.status()).toBe(200);
  expect(((await download.json()) as Array<{ id: number }>).map((row) => row.id)).toEqual(stored.map((row) => row.id));

  // Signed in as a viewer until here; an admin purges (sign out first: /sign-in redirects the signed-in).
  const origin = { Origin: serverInfo.baseUrl };
  expect((await page.request.delete("/api/v1/auth/session", { headers: origin })).status()).toBeLessThan(300);
  await signInAs(page, "admin");
  expect((await page.request.post(`/api/v1/players/${player.id}/purge`, { headers: origin })).status()).toBe(200);
});
