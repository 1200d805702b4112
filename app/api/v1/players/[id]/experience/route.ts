import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { mutationResponse } from "@/lib/http/responses";
import { gainExperience } from "@/lib/player-operations/gain-experience";

export const POST = defineRoute(routes.gainExperience, async ({ app, params, body: { amount, ...details }, write }) =>
  mutationResponse(await gainExperience(app.persistence, params.id, amount, details, write)),
);
