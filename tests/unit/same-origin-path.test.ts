import { describe, expect, it } from "vitest";
import { sameOriginPath } from "../../lib/http/same-origin-path.ts";

const ORIGIN = "https://console.example";

/** Where a browser on ORIGIN ends up after `router.replace(value)` or a Location: value. */
const browserTarget = (value: string) => new URL(value, ORIGIN);

describe("sameOriginPath (where to go after sign-in)", () => {
  it.each([
    "/players",
    "/players/abc?tab=ledger#top",
    "/combat?x=%2F%2Fevil.example",
    "/%2F%2Fevil.example",
  ])("keeps same-origin path %s", (value) => {
    const result = sameOriginPath(value);
    expect(browserTarget(result).origin).toBe(ORIGIN);
    expect(result).toBe(browserTarget(value).pathname + browserTarget(value).search + browserTarget(value).hash);
  });

  // The values a page receives after searchParams decoding, plus what an attacker sends raw.
  it.each([
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r//evil.example",
    "/ /evil.example",
    "https:evil.example",
    "https://evil.example",
    "http:/\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\\/evil.example",
    "///evil.example",
    "/\u0000/evil.example",
    "",
    undefined,
  ])("refuses %j", (value) => {
    const result = sameOriginPath(value);
    expect(browserTarget(result).origin).toBe(ORIGIN);
    expect(result).toBe(value === "/ /evil.example" ? "/%20/evil.example" : "/");
  });

  it("does not send the user back to the sign-in page", () => {
    expect(sameOriginPath("/sign-in")).toBe("/");
    expect(sameOriginPath("/sign-in?next=/players")).toBe("/");
    expect(sameOriginPath("/sign-in-help")).toBe("/sign-in-help");
  });
});
