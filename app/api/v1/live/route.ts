import { routes } from "@/lib/api/routes";
import { AppError } from "@/lib/errors/app-error";
import { defineRoute } from "@/lib/http/define-route";
import { callerSlotKey } from "@/lib/runtime/slot-limiter";

// A stream per request: never prerendered, never cached.
export const dynamic = "force-dynamic";

export const GET = defineRoute(routes.liveUpdates, async ({ app, caller, request }) => {
  // An admin is always admitted: one busy caller must never lock the operator out.
  const admitted = app.live.admit({ key: callerSlotKey(caller), exempt: caller.role === "admin" }, request.signal);
  if ("refusedBy" in admitted) {
    if (admitted.refusedBy === "caller") {
      throw new AppError("live_streams_per_caller", `You already hold ${app.config.LIVE_MAX_STREAMS_PER_CALLER} live streams; close one first`, { extensions: { retryAfterSeconds: 5 } });
    }
    throw new AppError("live_streams_exhausted", `This instance already serves ${app.config.LIVE_MAX_STREAMS} live streams; poll instead or try again later`);
  }
  return new Response(admitted.stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      // nginx buffers responses by default, which would hold events back.
      "X-Accel-Buffering": "no",
    },
  });
});
