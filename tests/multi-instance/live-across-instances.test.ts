import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { startAppServer } from "../helpers/app-server.ts";
import type { AppServer } from "../helpers/app-server.ts";
import { namesPlayer, openSse } from "../helpers/sse-client.ts";

/**
 * The console's live stream across instances: a tab connected to B hears a write made through A,
 * because PostgreSQL's NOTIFY trigger reaches every instance's listener.
 */
const env = inject("multi");
const { a, b } = env.instances;

async function signIn(base: string, who: { username: string; password: string } = { username: "admin", password: env.adminPassword }): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ username: who.username, password: who.password }),
  });
  expect(response.status).toBe(200);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

async function service(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${env.serviceToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe("live updates across instances", () => {
  it("a write through A reaches a stream on B within 1 s, every time", async () => {
    const created = await service(a, "POST", "/api/v1/players", { name: `live-${Date.now()}` });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const stream = await openSse(`${b}/api/v1/live`, { Cookie: await signIn(b) });
    try {
      expect(stream.status).toBe(200);
      await stream.waitFor((frame) => frame.event === "ready", 5_000, "ready");
      const delays: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        const before = stream.frames.length;
        const sent = Date.now();
        expect((await service(a, "POST", `/api/v1/players/${id}/damage`, { amount: 1 })).status).toBe(200);
        const frame = await stream.waitFor((candidate) => stream.frames.indexOf(candidate) >= before && namesPlayer(id)(candidate), 1_000, `B's stream to name write ${round}`);
        delays.push(frame.receivedAt - sent);
      }
      expect(Math.max(...delays)).toBeLessThan(1_000);
    } finally {
      await stream.close();
    }
  });

  describe("an instance with LIVE_MAX_STREAMS=1", () => {
    let bounded: AppServer;
    beforeAll(async () => {
      bounded = await startAppServer({ env: { DATABASE_URL: env.databaseUrl, INSTANCE_ID: "bounded", LIVE_MAX_STREAMS: "1" }, waitForListener: true });
    });
    afterAll(async () => {
      await bounded?.stop();
    });

    it("refuses a second stream with 503 live_streams_exhausted and frees the slot when the first client hangs up", async () => {
      // A game master: an admin is admitted past LIVE_MAX_STREAMS (so an admin can always watch).
      const cookie = await signIn(bounded.baseUrl, env.viewer);
      const first = await openSse(`${bounded.baseUrl}/api/v1/live`, { Cookie: cookie });
      expect(first.status).toBe(200);
      await first.waitFor((frame) => frame.event === "ready", 5_000, "ready");
      const refused = await fetch(`${bounded.baseUrl}/api/v1/live`, { headers: { Cookie: cookie } });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { code: string }).code).toBe("live_streams_exhausted");
      await first.close();
      // The server notices the disconnect and releases the slot (bounded wait, not a fixed sleep).
      const deadline = Date.now() + 5_000;
      let reopened = await openSse(`${bounded.baseUrl}/api/v1/live`, { Cookie: cookie });
      while (reopened.status !== 200 && Date.now() < deadline) {
        await reopened.close();
        await new Promise((resolve) => setTimeout(resolve, 50));
        reopened = await openSse(`${bounded.baseUrl}/api/v1/live`, { Cookie: cookie });
      }
      expect(reopened.status).toBe(200);
      await reopened.close();
    });
  });
});
