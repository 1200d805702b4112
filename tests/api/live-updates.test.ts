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
