import { routes } from "../api/routes.ts";

export type ApiRouteMatch = { kind: "found" } | { kind: "unknown-path" } | { kind: "method-not-allowed"; allow: string[] };

function templatePattern(template: string): RegExp {
  const segments = template.split("/").map((segment) => (/^\{[^}]+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  return new RegExp(`^${segments.join("/")}$`);
}

const routeTable = Object.values(routes).map((route) => ({ method: route.method as string, pattern: templatePattern(route.path) }));

/**
 * Looks an API request up in the route table (lib/api/routes.ts), so unknown paths and wrong
 * methods get problem+json from one place instead of Next.js's HTML 404 and bare 405.
 */
export function matchApiRoute(method: string, pathname: string): ApiRouteMatch {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const methods = new Set(routeTable.filter((route) => route.pattern.test(path)).map((route) => route.method));
  if (methods.size === 0) return { kind: "unknown-path" };
  // Next.js answers HEAD for a GET route and OPTIONS for any route by itself.
  if (methods.has(method) || method === "OPTIONS" || (method === "HEAD" && methods.has("GET"))) return { kind: "found" };
  const allow = [...methods];
  if (methods.has("GET")) allow.push("HEAD");
  allow.push("OPTIONS");
  return { kind: "method-not-allowed", allow };
}
