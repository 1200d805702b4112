import { getAppContext } from "@/lib/runtime/app-context";
import { checkHealth } from "@/lib/runtime/check-health";

export const dynamic = "force-dynamic";

/**
 * Liveness/readiness for load balancers: public, no secrets. 503 when the database is unreachable;
 * 200 with status "degraded" while reads work but player writes fail (a full disk, a lock held by
 * another process): the instance still serves reads and heals by itself.
 */
export async function GET() {
  const report = await checkHealth(getAppContext());
  return Response.json(report, { status: report.status === "unavailable" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
}
