import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { saveMergeModeFrom } from "@/lib/http/prefer-merge";
import { mutationResponse, playerResponse } from "@/lib/http/responses";
import { getPlayerOrThrow } from "@/lib/persistence/get-player";
import { expectedVersionForSave, savePlayer } from "@/lib/player-operations/save-player";
import { setPlayerArchived } from "@/lib/player-operations/archive-player";

export const GET = defineRoute(routes.getPlayer, async ({ app, params }) => playerResponse(await getPlayerOrThrow(app.persistence, params.id)));

export const PUT = defineRoute(routes.savePlayer, async ({ app, params, body, ifMatch, write, request }) =>
  mutationResponse(await savePlayer(app.persistence, params.id, body, expectedVersionForSave(ifMatch, body.version), { ...write, merge: saveMergeModeFrom(request.headers) })),
);

export const DELETE = defineRoute(routes.archivePlayer, async ({ app, params, write }) => mutationResponse(await setPlayerArchived(app.persistence, params.id, "archive", write)));
