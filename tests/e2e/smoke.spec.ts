import { expect, test } from "./fixtures";

test("the test server is up on its own fresh database", async ({ request, serverInfo, db }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(new URL(response.url()).origin).toBe(serverInfo.baseUrl);
  // The demo seed ran, and the test logins exist.
  expect(db.prepare(`SELECT COUNT(*) AS n FROM "Player" WHERE "name" = 'Ithaqua'`).get()).toEqual({ n: 1 });
  expect(db.prepare(`SELECT "username" FROM "User" WHERE "username" LIKE 'e2e-%' ORDER BY "username"`).all()).toEqual([
    { username: "e2e-admin" },
    { username: "e2e-support" },
    { username: "e2e-viewer" },
  ]);
});
