import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { mutationResponse } from "@/lib/http/responses";
import { correctHealth } from "@/lib/player-operations/correct-health";

export const POST = defineRoute(routes.correctHealth, async ({ app, params, body, ifMatch, write }) =>
  mutationResponse(await correctHealth(app.persistence, params.id, body, { ...write, expectedVersion: ifMatch })),
);
