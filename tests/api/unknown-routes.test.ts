import { describe, expect, it } from "vitest";
import { routes } from "../../lib/api/routes.ts";
import { env } from "./api-client.ts";

/** Every path in the route table with a syntactically plausible id in place of each parameter. */
const concrete = (template: string) => template.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000");
const pathsAndMethods = new Map<string, Set<string>>();
for (const route of Object.values(routes)) {
  const methods = pathsAndMethods.get(route.path) ?? new Set<string>();
  methods.add(route.method);
  pathsAndMethods.set(route.path, methods);
}
const ALL_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"];

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as { status: number; code: string };
  expect(body).toMatchObject({ status, code });
}

describe("unknown API paths and wrong methods answer problem+json", () => {
  const unknownPaths = [
    "/api/v1/nope",
    "/api/v1",
    "/api/v1/players/00000000-0000-4000-8000-000000000000/nope",
    "/api/v1/combat",
    "/api/nope",
    // A child segment under every table path (except where the table has a parameter there, such as `{id}` or `{key}`).
    ...[...pathsAndMethods.keys()]
      .filter((template) => ![...pathsAndMethods.keys()].some((other) => other.startsWith(`${template}/{`) && other.split("/").length === template.split("/").length + 1))
      .map((template) => `${concrete(template)}/unknown-child`),
  ];
  it.each(unknownPaths)("%s → 404 not_found", async (path) => {
    for (const method of ["GET", "POST"]) {
      await expectProblem(await fetch(`${env.baseUrl}${path}`, { method }), 404, "not_found");
    }
  });

  const wrongMethodCases = [...pathsAndMethods].flatMap(([template, methods]) =>
    ALL_METHODS.filter((method) => !methods.has(method)).map((method) => ({ template, method, allowed: methods })),
  );
  it("covers every path in the route table", () => {
    expect(new Set(wrongMethodCases.map((entry) => entry.template)).size).toBe(pathsAndMethods.size);
  });
  it.each(wrongMethodCases)("$method $template → 405 with Allow", async ({ template, method, allowed }) => {
    const response = await fetch(`${env.baseUrl}${concrete(template)}`, { method });
    await expectProblem(response, 405, "method_not_allowed");
    const allow = response.headers.get("allow")!.split(/,\s*/);
    const expected = [...allowed, ...(allowed.has("GET") ? ["HEAD"] : []), "OPTIONS"];
    expect(allow.sort()).toEqual(expected.sort());
  });

  it("a known path with a listed method still reaches its handler", async () => {
    const response = await fetch(`${env.baseUrl}/api/v1/players`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe("unauthenticated");
  });
});
