import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { listErrorLog } from "@/lib/errors/list-error-log";
import { redactStacks } from "@/lib/errors/redact-stacks";

export const GET = defineRoute(routes.listErrors, async ({ app, query, caller }) => {
  const page = await listErrorLog(app.persistence.db, query);
  return jsonResponse({ ...page, items: redactStacks(caller.role, page.items) });
});
