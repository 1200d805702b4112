import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFailedSignIn, recordSuccessfulSignIn, SIGN_IN_POLICY, signInRetryAfter } from "../../lib/auth/sign-in-throttle.ts";
import { createTestContext } from "../helpers/test-database.ts";
import type { TestContext } from "../helpers/test-database.ts";

/** The throttle's policy against the real store (SQLite file, and PostgreSQL in integration-pg). */
describe("sign-in throttle policy", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  it("per account: failures beyond the free ones impose a doubling delay, which a known address skips", async () => {
    const known = { account: "growing", address: "192.0.2.1" };
    await recordSuccessfulSignIn(t.ctx.db, known);
    const delays: number[] = [];
    for (let failure = 1; failure <= SIGN_IN_POLICY.accountFreeFailures + 5; failure += 1) {
      // Each failure from a different address, so only the account-wide rule applies.
      await recordFailedSignIn(t.ctx.db, { account: "growing", address: `198.51.100.${failure}` });
      delays.push(await signInRetryAfter(t.ctx.db, { account: "growing", address: "203.0.113.1" }));
    }
    expect(delays.slice(0, SIGN_IN_POLICY.accountFreeFailures)).toEqual(Array(SIGN_IN_POLICY.accountFreeFailures).fill(0));
    // 1, 2, 4, 8, 16 s (rounded up; a few ms may have passed).
    expect(delays.slice(SIGN_IN_POLICY.accountFreeFailures)).toEqual([1, 2, 4, 8, 16]);
    expect(await signInRetryAfter(t.ctx.db, known)).toBe(0);
  });

  it("the delay is capped at 15 minutes", async () => {
    for (let failure = 1; failure <= SIGN_IN_POLICY.accountFreeFailures + 20; failure += 1) {
      await recordFailedSignIn(t.ctx.db, { account: "capped", address: `198.51.101.${failure}` });
    }
    const retryAfter = await signInRetryAfter(t.ctx.db, { account: "capped", address: "203.0.113.2" });
    expect(retryAfter).toBeGreaterThan(SIGN_IN_POLICY.accountMaxDelaySeconds - 5);
    expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_POLICY.accountMaxDelaySeconds);
  });

  it("concurrent failures (as from several instances) are all counted", async () => {
    const attempt = { account: "concurrent", address: "192.0.2.50" };
    await Promise.all(Array.from({ length: SIGN_IN_POLICY.accountAddressFailures }, () => recordFailedSignIn(t.ctx.db, attempt)));
    expect(await signInRetryAfter(t.ctx.db, attempt)).toBeGreaterThan(0);
    const stored = await t.sql.get<{ points: number }>(`SELECT "points" FROM "SignInThrottle" WHERE "key" = ?`, "account-address:concurrent|192.0.2.50");
    expect(Number(stored?.points)).toBe(SIGN_IN_POLICY.accountAddressFailures);
  });

  it("a success clears the account+address count but not the address's count", async () => {
    const attempt = { account: "reset", address: "192.0.2.60" };
    for (let failure = 0; failure < 4; failure += 1) await recordFailedSignIn(t.ctx.db, attempt);
    await recordSuccessfulSignIn(t.ctx.db, attempt);
    const pair = await t.sql.get(`SELECT "points" FROM "SignInThrottle" WHERE "key" = ?`, "account-address:reset|192.0.2.60");
    const address = await t.sql.get<{ points: number }>(`SELECT "points" FROM "SignInThrottle" WHERE "key" = ?`, "address:192.0.2.60");
    expect(pair).toBeUndefined();
    expect(Number(address?.points)).toBe(4);
  });
});
