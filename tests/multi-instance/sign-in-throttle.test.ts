import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { signInFrom } from "../helpers/request-from-address.ts";

const env = inject("multi");

describe("sign-in throttling across two instances on one PostgreSQL", () => {
  it("failures counted by A and by B add up: 3 + 2 wrong passwords lock the pair on both", async () => {
    const { username, password } = env.throttled;
    const from = "127.0.0.5";
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await signInFrom(env.instances.a, from, username, "wrong")).status).toBe(401);
    for (let attempt = 0; attempt < 2; attempt += 1) expect((await signInFrom(env.instances.b, from, username, "wrong")).status).toBe(401);
    expect((await signInFrom(env.instances.b, from, username, password)).status).toBe(429);
    expect((await signInFrom(env.instances.a, from, username, password)).status).toBe(429);
    // Another address is unaffected on either instance.
    expect((await signInFrom(env.instances.a, "127.0.0.6", username, password)).status).toBe(200);
  });
});
