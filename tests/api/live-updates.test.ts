import { beforeAll, describe, expect, it } from "vitest";
import { asToken, callJson, createTestPlayer, env, signIn } from "./api-client.ts";
import type { Credentials } from "./api-client.ts";
import { namesPlayer, openSse } from "../helpers/sse-client.ts";

/** GET /api/v1/live: the console's push channel (lib/live/live-hub.ts) against a real `next start`. */
let viewer: Credentials & { kind: "session" };
beforeAll(async () => {
  viewer = (await signIn("viewer", env.passwords.viewer)) as Credentials & { kind: "session" };
});

describe("GET /api/v1/live", () => {
  it("streams a game server's write to a game master within 1 s", async () => {
    const player = await createTestPlayer();
    const stream = await openSse(`${env.baseUrl}/api/v1/live`, { Cookie: viewer.cookie });
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain("text/event-stream");
      await stream.waitFor((frame) => frame.event === "ready", 5_000, "the ready event");
      const delays: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        // Counted before the write is sent: the frame may arrive before the write's own response does.
        const before = stream.frames.length;
        const sent = Date.now();
        const { status } = await callJson(asToken(env.tokens.service), "POST", `/api/v1/players/${player.id}/damage`, { body: { amount: 1 } });
        expect(status).toBe(200);
        const frame = await stream.waitFor((candidate) => stream.frames.indexOf(candidate) >= before && namesPlayer(player.id)(candidate), 1_000, `change ${round}`);
        delays.push(frame.receivedAt - sent);
      }
      expect(Math.max(...delays)).toBeLessThan(1_000);
    } finally {
      await stream.close();
    }
  });

  it("caps streams per caller: a token's 11th stream gets 429, while other callers and an admin still get theirs (issue 20 #12)", async () => {
    const open: Response[] = [];
    const live = (headers: Record<string, string>) => fetch(`${env.baseUrl}/api/v1/live`, { headers });
    try {
      // LIVE_MAX_STREAMS_PER_CALLER defaults to 10. Before, one viewer token opened 200 streams and the admin got 503.
      for (let index = 0; index < 10; index += 1) {
        const response = await live({ Authorization: `Bearer ${env.tokens.viewerToken}` });
        expect(response.status).toBe(200);
        open.push(response);
      }
      const refused = await live({ Authorization: `Bearer ${env.tokens.viewerToken}` });
      expect(refused.status).toBe(429);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(((await refused.json()) as { code: string }).code).toBe("live_streams_per_caller");
      const other = await live({ Cookie: viewer.cookie });
      expect(other.status).toBe(200);
      open.push(other);
      const admin = (await signIn("admin", env.passwords.admin)) as Credentials & { kind: "session" };
      const adminStream = await live({ Cookie: admin.cookie });
      expect(adminStream.status).toBe(200);
      open.push(adminStream);
    } finally {
      for (const response of open) await response.body?.cancel();
    }
  });

  it("refuses anonymous callers with problem+json 401", async () => {
    const { status, headers } = await callJson({ kind: "anonymous" }, "GET", "/api/v1/live");
    expect(status).toBe(401);
    expect(headers.get("content-type")).toBe("application/problem+json");
  });

  it("is documented in the OpenAPI document as text/event-stream", async () => {
    const { body } = await callJson<{ paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }> }>({ kind: "anonymous" }, "GET", "/api/openapi.json");
    expect(Object.keys(body.paths["/api/v1/live"]!.get.responses["200"]!.content ?? {})).toEqual(["text/event-stream"]);
  });
});
