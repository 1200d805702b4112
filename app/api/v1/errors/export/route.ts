import { routes } from "@/lib/api/routes";
import { exportResponse } from "@/lib/export/export-stream";
import { exportErrors } from "@/lib/export/staff-exports";
import { defineRoute } from "@/lib/http/define-route";

export const GET = defineRoute(routes.exportErrors, async ({ app, query, caller }) => exportResponse(exportErrors(app.persistence, query, caller), query.format, "errors"));
