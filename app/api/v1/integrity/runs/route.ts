import { routes } from "@/lib/api/routes";
import { requestIntegrityRun } from "@/lib/integrity/request-integrity-run";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";

export const POST = defineRoute(routes.runIntegrityCheck, async ({ app, caller, body }) =>
  jsonResponse(await requestIntegrityRun(app.persistence, app.integrity, { actor: caller.name, scope: body.scope })),
);
