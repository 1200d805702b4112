import { routes } from "@/lib/api/routes";
import { defineRoute } from "@/lib/http/define-route";
import { jsonResponse } from "@/lib/http/responses";
import { listAuditEntries } from "@/lib/audit/list-audit-entries";

export const GET = defineRoute(routes.listAudit, async ({ app, query }) => jsonResponse(await listAuditEntries(app.persistence.db, query)));
