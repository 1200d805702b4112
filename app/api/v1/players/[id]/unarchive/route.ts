import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { mutationResponse } from "@/lib/http/responses";
import { setPlayerArchived } from "@/lib/player-operations/archive-player";

export const POST = defineRoute(routes.unarchivePlayer, async ({ app, params, write }) => mutationResponse(await setPlayerArchived(app.persistence, params.id, "unarchive", write)));
