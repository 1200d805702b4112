import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";

export const GET = defineRoute(routes.listEncounters, async ({ app }) => jsonResponse({ items: app.combat.list() }));

export const POST = defineRoute(routes.createEncounter, async ({ app, body, caller }) => {
  const encounter = await app.combat.create(body, caller.name);
  return jsonResponse(encounter, 201, { Location: `/api/v1/combat/encounters/${encounter.id}` });
});
