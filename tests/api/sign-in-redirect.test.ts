import { describe, expect, it } from "vitest";
import { env, signIn } from "./api-client.ts";

/**
 * A signed-in user who opens /sign-in?next=… is redirected at once; the Location must stay on this
 * server whatever `next` holds (the same function picks the form's destination).
 */
describe("redirect after sign-in", () => {
  const hostile = [
    "/%5Cevil.example",
    "/%09/evil.example",
    "//evil.example",
    "/%5C%5Cevil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "https:evil.example",
    "https://evil.example",
    "/%0A/evil.example",
    "/%5C/evil.example",
    "javascript:alert(1)",
  ];

  it.each(hostile)("next=%s redirects to a same-origin path", async (next) => {
    const session = await signIn("viewer", env.passwords.viewer);
    if (session.kind !== "session") throw new Error("expected a session");
    const response = await fetch(`${env.baseUrl}/sign-in?next=${next}`, { headers: { Cookie: session.cookie }, redirect: "manual" });
    expect([303, 307, 308]).toContain(response.status);
    const location = response.headers.get("location")!;
    expect(new URL(location, env.baseUrl).origin).toBe(env.baseUrl);
  });

  it("keeps a same-origin destination", async () => {
    const session = await signIn("viewer", env.passwords.viewer);
    if (session.kind !== "session") throw new Error("expected a session");
    const response = await fetch(`${env.baseUrl}/sign-in?next=${encodeURIComponent("/players?search=x")}`, { headers: { Cookie: session.cookie }, redirect: "manual" });
    expect(new URL(response.headers.get("location")!, env.baseUrl).href).toBe(`${env.baseUrl}/players?search=x`);
  });
});
