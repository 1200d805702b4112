import { expect, test } from "./fixtures";

/**
 * The sign-in form follows `?next=` after signing in (router.replace on the client). Hostile
 * values must leave the browser on this server. Every request to another host is recorded: none
 * may happen.
 */
const hostile = ["/%5Cevil.example", "/%09/evil.example", "//evil.example", "/%5C/evil.example", "https:evil.example"];

for (const next of hostile) {
  test(`sign-in with next=${next} stays on this server`, async ({ page, serverInfo }) => {
    const offSite: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).origin !== serverInfo.baseUrl) offSite.push(request.url());
    });
    await page.goto(`/sign-in?next=${next}`);
    await page.getByLabel("Username").fill(serverInfo.usernames.viewer);
    await page.getByLabel("Password").fill(serverInfo.passwords.viewer);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(serverInfo.baseUrl);
    expect(offSite).toEqual([]);
  });
}

test("sign-in with a same-origin next goes there", async ({ page, serverInfo }) => {
  await page.goto(`/sign-in?next=${encodeURIComponent("/players")}`);
  await page.getByLabel("Username").fill(serverInfo.usernames.viewer);
  await page.getByLabel("Password").fill(serverInfo.passwords.viewer);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${serverInfo.baseUrl}/players`);
});
