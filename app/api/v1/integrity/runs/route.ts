import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";

export const POST = defineRoute(routes.runIntegrityCheck, async ({ app, caller }) =>
  jsonResponse(await app.integrity.run({ trigger: "manual", actor: caller.name })),
);
