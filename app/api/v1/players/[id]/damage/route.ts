import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { mutationResponse } from "@/lib/http/responses";
import { damagePlayer } from "@/lib/player-operations/damage-player";

export const POST = defineRoute(routes.damagePlayer, async ({ app, params, body: { amount, ...details }, write }) =>
  mutationResponse(await damagePlayer(app.persistence, params.id, amount, details, write)),
);
