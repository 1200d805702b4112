import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";

export const POST = defineRoute(routes.advanceEncounter, async ({ app, params, body }) => jsonResponse(await app.combat.advance(params.id, body.rounds)));
