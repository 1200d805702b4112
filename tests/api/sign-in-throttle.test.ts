import { describe, expect, it } from "vitest";
import { signInFrom } from "../helpers/request-from-address.ts";
import { env } from "./api-client.ts";

/**
 * Sign-in throttling against the real server. Each test is a different set of clients: sockets
 * bound to distinct 127.0.0.x addresses, which is what the server sees (no proxy is trusted here).
 * Policy: lib/auth/sign-in-throttle.ts.
 */
const [rotated, spoofed, direct, addressLimited, besieged, , , directEmpty, directComma, internalHeader] = env.throttledUsers as string[] as [
  string, string, string, string, string, string, string, string, string, string,
];
const right = env.passwords.throttled;
const wrong = "not-the-password";

describe("sign-in throttling", () => {
  it("rotating X-Forwarded-For does not bypass it", async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await signInFrom(env.baseUrl, "127.0.0.11", rotated, wrong, { "X-Forwarded-For": `198.51.100.${attempt + 1}` });
      expect(response.status).toBe(401);
    }
    const sixth = await signInFrom(env.baseUrl, "127.0.0.11", rotated, right, { "X-Forwarded-For": "198.51.100.99" });
    expect(sixth.status).toBe(429);
    expect(sixth.headers["retry-after"]).toMatch(/^\d+$/);
    expect(JSON.parse(sixth.body)).toMatchObject({ code: "rate_limited" });
  });

  it("a client spoofing someone else's address does not lock that person out", async () => {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      await signInFrom(env.baseUrl, "127.0.0.12", spoofed, wrong, { "X-Forwarded-For": "127.0.0.13" });
    }
    expect((await signInFrom(env.baseUrl, "127.0.0.12", spoofed, right, { "X-Forwarded-For": "127.0.0.13" })).status).toBe(429);
    // The person at 127.0.0.13 (whatever header they send) signs in.
    expect((await signInFrom(env.baseUrl, "127.0.0.13", spoofed, right, { "X-Forwarded-For": "127.0.0.13" })).status).toBe(200);
    expect((await signInFrom(env.baseUrl, "127.0.0.13", spoofed, right)).status).toBe(200);
  });

  // Next.js fills in a missing X-Forwarded-For from the socket, but keeps an empty one: the old
  // limiter read "" as "direct", one key for every such client.
  it.each([
    { header: "none", headers: {}, account: direct, attacker: "127.0.0.14", victim: "127.0.0.15" },
    { header: "empty", headers: { "X-Forwarded-For": "" }, account: directEmpty, attacker: "127.0.0.18", victim: "127.0.0.19" },
    { header: "a lone comma", headers: { "X-Forwarded-For": "," }, account: directComma, attacker: "127.0.0.20", victim: "127.0.0.21" },
  ] as Array<{ header: string; headers: Record<string, string>; account: string; attacker: string; victim: string }>)("two direct clients do not share a key (forwarding header: $header)", async ({ headers, account, attacker, victim }) => {
    for (let attempt = 0; attempt < 6; attempt += 1) await signInFrom(env.baseUrl, attacker, account, wrong, headers);
    expect((await signInFrom(env.baseUrl, attacker, account, right, headers)).status).toBe(429);
    expect((await signInFrom(env.baseUrl, victim, account, right, headers)).status).toBe(200);
  });

  it("one address that fails against many accounts is refused for every account", async () => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const response = await signInFrom(env.baseUrl, "127.0.0.16", `nobody-${attempt}`, wrong, { "X-Forwarded-For": `203.0.113.${attempt}` });
      expect(response.status).toBe(401);
    }
    expect((await signInFrom(env.baseUrl, "127.0.0.16", addressLimited, right)).status).toBe(429);
    expect((await signInFrom(env.baseUrl, "127.0.0.17", addressLimited, right)).status).toBe(200);
  });

  it("an attack on one account from many addresses does not lock its user out of a known address", async () => {
    expect((await signInFrom(env.baseUrl, "127.0.0.30", besieged, right)).status).toBe(200);
    const outcomes: number[] = [];
    for (const attacker of ["127.0.0.31", "127.0.0.32", "127.0.0.33", "127.0.0.34"]) {
      for (let attempt = 0; attempt < 4; attempt += 1) outcomes.push((await signInFrom(env.baseUrl, attacker, besieged, wrong)).status);
    }
    // The first 10 failures are free; after that the account imposes a doubling delay on the attackers.
    expect(outcomes.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(outcomes).toContain(429);
    expect((await signInFrom(env.baseUrl, "127.0.0.30", besieged, right)).status).toBe(200);
  });

  it("a client cannot send the internal peer-address header server.mjs sets", async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await signInFrom(env.baseUrl, "127.0.0.22", internalHeader, wrong, { "X-Pnakotic-Peer-Address": `127.0.0.${100 + attempt}` });
    }
    expect((await signInFrom(env.baseUrl, "127.0.0.22", internalHeader, right, { "X-Pnakotic-Peer-Address": "127.0.0.23" })).status).toBe(429);
    expect((await signInFrom(env.baseUrl, "127.0.0.23", internalHeader, right, { "X-Pnakotic-Peer-Address": "127.0.0.22" })).status).toBe(200);
  });
});
