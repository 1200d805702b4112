import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { mutationResponse } from "@/lib/http/responses";
import { revertChange } from "@/lib/player-operations/restore-player";

export const POST = defineRoute(routes.revertChange, async ({ app, params, body, ifMatch, write }) =>
  mutationResponse(await revertChange(app.persistence, params.id, { changeId: body.changeId, requestId: body.requestId }, { ...write, reason: body.reason, expectedVersion: ifMatch! })),
);
