import { routes } from "@/lib/api/routes";
import { exportResponse } from "@/lib/export/export-stream";
import { exportAudit } from "@/lib/export/staff-exports";
import { defineRoute } from "@/lib/http/define-route";

export const GET = defineRoute(routes.exportAudit, async ({ app, query }) => exportResponse(exportAudit(app.persistence, query), query.format, "audit"));
