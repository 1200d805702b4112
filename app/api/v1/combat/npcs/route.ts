import { routes } from "@/lib/api/routes";
import { listNpcPresets } from "@/lib/combat/list-npc-presets";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";

export const GET = defineRoute(routes.listNpcPresets, async () => jsonResponse({ items: listNpcPresets() }));
