import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { mutationResponse } from "@/lib/http/responses";
import { healPlayer } from "@/lib/player-operations/heal-player";

export const POST = defineRoute(routes.healPlayer, async ({ app, params, body: { amount, ...details }, write }) =>
  mutationResponse(await healPlayer(app.persistence, params.id, amount, details, write)),
);
