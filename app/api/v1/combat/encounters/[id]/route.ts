import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";

export const GET = defineRoute(routes.getEncounter, async ({ app, params }) => jsonResponse(app.combat.getEncounterOrThrow(params.id)));
