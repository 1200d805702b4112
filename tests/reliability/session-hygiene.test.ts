import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer } from "../helpers/app-server.ts";
import type { AppServer } from "../helpers/app-server.ts";
import { provisionDatabase } from "../helpers/provision-database.ts";
import type { ProvisionedDatabase } from "../helpers/provision-database.ts";

/**
 * Cookies, CSRF, secrets in logs and security headers, against a production server that logs at
 * debug level (so anything that could leak into logs would).
 */
describe("session and token hygiene", () => {
  let database: ProvisionedDatabase;
  let server: AppServer;
  beforeAll(async () => {
    database = await provisionDatabase("sqlite");
    // No PNAKOTIC_INSECURE_COOKIES here: production cookies must be Secure.
    server = await startAppServer({ env: { DATABASE_URL: database.url, LOG_LEVEL: "debug", PNAKOTIC_INSECURE_COOKIES: "" } });
  });
  afterAll(async () => {
    await server.stop();
    await database.remove();
  });

  const signIn = (password: string, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}/api/v1/auth/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.baseUrl, ...headers },
      body: JSON.stringify({ username: "admin", password }),
    });

  it("session cookies are HttpOnly, Secure in production, SameSite", async () => {
    const response = await signIn(database.adminPassword);
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it("refuses a cross-origin form post carrying the session cookie (CSRF)", async () => {
    const cookie = (await signIn(database.adminPassword)).headers.get("set-cookie")!.split(";")[0]!;
    for (const [contentType, body] of [
      ["application/x-www-form-urlencoded", "name=csrf-victim"],
      ["text/plain", '{"name":"csrf-victim"}'],
      ["application/json", '{"name":"csrf-victim"}'],
    ]) {
      const response = await fetch(`${server.baseUrl}/api/v1/players`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: "https://attacker.example", "Content-Type": contentType! },
        body,
      });
      expect(response.status).toBe(403);
    }
    const list = await fetch(`${server.baseUrl}/api/v1/players?search=csrf-victim`, { headers: { Cookie: cookie } });
    expect(((await list.json()) as { total: number }).total).toBe(0);
  });

  it("never writes passwords, tokens or session cookies to the logs", async () => {
    const wrongPassword = "Wrong-Password-That-Must-Not-Be-Logged-7f3a";
    await signIn(wrongPassword, { "X-Forwarded-For": "198.51.100.9" });
    const signedIn = await signIn(database.adminPassword, { "X-Forwarded-For": "198.51.100.10" });
    const sessionValue = signedIn.headers.get("set-cookie")!.split(";")[0]!.split("=")[1]!;
    const badToken = "pnk_ThisTokenIsInvalidButMustStillNotBeLogged000";
    await fetch(`${server.baseUrl}/api/v1/players`, { headers: { Authorization: `Bearer ${badToken}` } });
    await fetch(`${server.baseUrl}/api/v1/players`, { headers: { Authorization: `Bearer ${database.serviceToken}` } });
    await fetch(`${server.baseUrl}/api/v1/players/x/damage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${database.serviceToken}`, "Content-Type": "application/json" },
      body: "{ not json",
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const logs = server.output();
    expect(logs).toContain("failed sign-in"); // the failure itself is logged…
    for (const secret of [wrongPassword, database.adminPassword, sessionValue, badToken, database.serviceToken]) {
      expect(logs).not.toContain(secret); // …but never the secrets
    }
  });

  it("pages carry CSP (nonce, frame-ancestors), nosniff and a referrer policy; the API too", async () => {
    const page = await fetch(`${server.baseUrl}/`, { redirect: "manual" });
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const api = await fetch(`${server.baseUrl}/api/health`);
    expect(api.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
