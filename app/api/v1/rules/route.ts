import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { declareGameRules, getGameRules } from "@/lib/stats/declare-game-rules";

export const GET = defineRoute(routes.getGameRules, async ({ app }) => Response.json(await getGameRules(app.persistence)));

export const PUT = defineRoute(routes.declareGameRules, async ({ app, body, write }) => Response.json(await declareGameRules(app.persistence, body, write)));
