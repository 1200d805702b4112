import { z } from "zod";
import { problemSchema } from "./api-schemas.ts";
import { routes } from "./routes.ts";
import type { RouteSpec } from "./routes.ts";
import { errorStatus } from "../errors/error-codes.ts";
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from "../http/read-json-body.ts";

type JsonSchema = Record<string, unknown>;

/** Shared definitions (recursive JSON values) hoisted out of each schema into components. */
let sharedDefinitions: Record<string, JsonSchema> = {};

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete json.$schema;
  const definitions = (json.$defs ?? {}) as Record<string, JsonSchema>;
  delete json.$defs;
  let text = JSON.stringify(json);
  const renames: Array<[string, string]> = [];
  for (const [localName, definition] of Object.entries(definitions)) {
    const content = JSON.stringify(definition);
    const existing = Object.entries(sharedDefinitions).find(([, shared]) => JSON.stringify(shared) === content)?.[0];
    const name = existing ?? `Shared${Object.keys(sharedDefinitions).length + 1}`;
    renames.push([localName, name]);
  }
  // A definition may refer to itself (recursion), so rename inside definitions too.
  const rename = (value: string) => renames.reduce((result, [from, to]) => result.split(`"#/$defs/${from}"`).join(`"#/components/schemas/${to}"`), value);
  for (const [localName, definition] of Object.entries(definitions)) {
    const name = renames.find(([from]) => from === localName)![1];
    sharedDefinitions[name] ??= JSON.parse(rename(JSON.stringify(definition))) as JsonSchema;
  }
  text = rename(text);
  return JSON.parse(text) as JsonSchema;
}

function parametersOf(route: RouteSpec): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [location, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, "input");
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      parameters.push({ name, in: location, required: location === "path" || required.has(name), schema: property });
    }
  }
  if (route.ifMatch) {
    parameters.push({
      name: "If-Match",
      in: "header",
      required: route.ifMatch === "required",
      description: 'The version you read, quoted: "5" (the ETag of GET /api/v1/players/{id}). Stale → 409.',
      schema: { type: "string" },
    });
  }
  if (route.preferMerge) {
    parameters.push({
      name: "Prefer",
      in: "header",
      required: false,
      description: "merge=none: refuse a stale version with 409 (listing the fields changed since) instead of merging it",
      schema: { type: "string", enum: ["merge=none"] },
    });
  }
  if (route.idempotent) {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: "Repeat-safe retries: the same key and body replay the first response (Idempotent-Replayed: true); a different body is 422. Kept ≥ 24 h.",
      schema: { type: "string", maxLength: 200 },
    });
  }
  parameters.push({ name: "X-Request-Id", in: "header", required: false, description: "Echoed back and written to ledger rows", schema: { type: "string" } });
  return parameters;
}

function securityOf(route: RouteSpec): JsonSchema[] | undefined {
  if (route.access === "public") return [];
  return [{ bearerToken: [] }, { sessionCookie: [] }];
}

function describeAccess(route: RouteSpec): string {
  if (route.access === "public") return "Public.";
  if (route.access === "signed-in") return "Any signed-in staff user (session cookie).";
  if (route.access === "metrics") return "METRICS_SCRAPE_TOKEN as a bearer token, or an admin.";
  const scopes = route.access.scopes ?? [];
  return `Roles: ${route.access.roles.join(", ")}${scopes.length > 0 ? `; or a token with scope ${scopes.join(", ")}` : ""}.`;
}

/** OpenAPI 3.1, generated from the route table and its zod schemas. */
const historicalOperations = new Set(["getPlayerStateAt", "previewRestore", "restorePlayer"]);

export function buildOpenApiDocument(): JsonSchema {
  sharedDefinitions = {};
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of Object.values(routes) as RouteSpec[]) {
    const problemStatuses = new Set<number>([400, 422, 500]);
    if (route.access !== "public") {
      problemStatuses.add(401);
      problemStatuses.add(403);
    }
    if (route.params) problemStatuses.add(404);
    if (route.body) [413, 415].forEach((status) => problemStatuses.add(status));
    if (route.ifMatch || route.idempotent) problemStatuses.add(409);
    if (route.ifMatch === "required") problemStatuses.add(428);
    if (route.operationId === "signIn") problemStatuses.add(429);
    route.problems?.forEach((status) => problemStatuses.add(status));
    // A moment or event older than what `ledger prune` kept (lib/history/player-state-at.ts).
    if (historicalOperations.has(route.operationId)) problemStatuses.add(410);
    problemStatuses.add(503);
    const responses: Record<string, JsonSchema> = {
      [route.response.status]: {
        description: route.response.description,
        ...(route.response.schema ? { content: { "application/json": { schema: schemaOf(route.response.schema, "output") } } } : {}),
        ...(route.response.contentType ? { content: { [route.response.contentType]: { schema: { type: "string" } } } } : {}),
      },
    };
    for (const status of [...problemStatuses].sort()) {
      const codes = Object.entries(errorStatus).filter(([, value]) => value === status).map(([code]) => code);
      responses[status] = {
        description: `Problem (${codes.join(", ")})`,
        content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
      };
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      description: describeAccess(route),
      parameters: parametersOf(route),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              description: `JSON (UTF-8, valid Unicode: no lone surrogates), at most ${(route.maxBodyBytes ?? MAX_BODY_BYTES).toLocaleString("en-US")} bytes (413 beyond) and ${MAX_JSON_DEPTH} levels deep`,
              content: { "application/json": { schema: schemaOf(route.body, "input") } },
            },
          }
        : {}),
      responses,
      security: securityOf(route),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Pnakotic API",
      version: "1.0.0",
      description:
        "Player-state integrity service. Writes are atomic and ledgered; whole-object saves need If-Match. Errors are application/problem+json with a `code` member.",
    },
    paths,
    components: {
      schemas: { Problem: schemaOf(problemSchema, "output"), ...sharedDefinitions },
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "Game-server token (npm run admin -- token create …)" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "pnakotic_session", description: "Staff session from POST /api/v1/auth/session" },
      },
    },
  };
}
