import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";

export const POST = defineRoute(routes.disconnectEncounterPlayer, async ({ app, params }) => jsonResponse(app.combat.disconnect(params.id)));
