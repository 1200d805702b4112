import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { changeBatchResponse } from "@/lib/http/responses";
import { applyChanges } from "@/lib/player-operations/apply-changes";

export const POST = defineRoute(routes.applyChanges, async ({ app, body, requestId, write }) =>
  changeBatchResponse(await applyChanges(app.persistence, body, write), requestId),
);
