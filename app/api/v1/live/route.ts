import { routes } from "@/lib/api/routes";
import { AppError } from "@/lib/errors/app-error";
import { defineRoute } from "@/lib/http/define-route";

// A stream per request: never prerendered, never cached.
export const dynamic = "force-dynamic";

export const GET = defineRoute(routes.liveUpdates, async ({ app, request }) => {
  const stream = app.live.open(request.signal);
  if (!stream) throw new AppError("live_streams_exhausted", `This instance already serves ${app.config.LIVE_MAX_STREAMS} live streams; poll instead or try again later`);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      // nginx buffers responses by default, which would hold events back.
      "X-Accel-Buffering": "no",
    },
  });
});
