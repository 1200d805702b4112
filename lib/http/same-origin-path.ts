const PLACEHOLDER_ORIGIN = "http://same-origin.invalid";

/**
 * The path to follow after sign-in: a same-origin path, or "/" for anything else. Browsers drop
 * tabs and newlines from URLs and read "\" as "/", so "/\evil.example" and "/\t/evil.example" are
 * both "//evil.example" (another host) to them; the check resolves the value the way a browser
 * does and keeps it only if the origin did not change. Pages under /sign-in are refused too (a
 * loop).
 */
export function sameOriginPath(next: unknown): string {
  // An array (the parameter given twice) or anything else that is not one path is refused too.
  if (typeof next !== "string" || !next.startsWith("/")) return "/";
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path === "/sign-in" || path.startsWith("/sign-in/") || path.startsWith("/sign-in?") ? "/" : path;
}
