import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { routes } from "../../lib/api/routes.ts";
import type { RouteSpec } from "../../lib/api/routes.ts";
import { assertUnderstood, fuzzArbitraries, routeSchemas } from "../api/route-fuzz-arbitraries.ts";

/**
 * The API fuzzer (tests/api/route-fuzzer.test.ts) drives every route of the route table. This is
 * its contract: every route has an arbitrary, derived from the route's own schemas, and the
 * converter understands every construct of those schemas — a new route, or a schema using
 * something new, fails here until the fuzzer covers it.
 */
describe("route fuzz arbitraries", () => {
  it("every route in the table has a fuzz arbitrary that generates requests", () => {
    expect(Object.keys(fuzzArbitraries).sort()).toEqual(Object.keys(routes).sort());
    for (const [name, arbitrary] of Object.entries(fuzzArbitraries)) {
      const samples = fc.sample(arbitrary, { numRuns: 20, seed: 7 });
      expect(samples, name).toHaveLength(20);
      const route = routes[name as keyof typeof routes] as RouteSpec;
      if (route.params) expect(samples.every((sample) => Object.keys(sample.params).length > 0), name).toBe(true);
      if (route.method !== "GET") expect(samples.some((sample) => sample.body !== undefined), name).toBe(true);
    }
  });

  it("understands every JSON Schema construct of every route's params, query and body", () => {
    for (const [name, route] of Object.entries(routes)) {
      for (const [part, schema] of routeSchemas(route as RouteSpec)) expect(() => assertUnderstood(schema, `${name}.${part}`)).not.toThrow();
    }
  });

  it("derives valid values from the schemas, so requests get past validation as well as fail it", () => {
    for (const [name, route] of Object.entries(routes) as Array<[string, RouteSpec]>) {
      const schema = route.body ?? route.query;
      if (!schema) continue;
      const samples = fc.sample(fuzzArbitraries[name as keyof typeof routes], { numRuns: 200, seed: 11 });
      const parsed = samples.map((sample) => {
        if (route.body) {
          try {
            return schema.safeParse(JSON.parse(sample.body ?? "")).success;
          } catch {
            return false;
          }
        }
        return schema.safeParse(Object.fromEntries(sample.query)).success;
      });
      expect(parsed.filter(Boolean).length, `${name}: valid samples out of 200`).toBeGreaterThan(0);
      expect(parsed.filter((ok) => !ok).length, `${name}: invalid samples out of 200`).toBeGreaterThan(0);
    }
  });
});
