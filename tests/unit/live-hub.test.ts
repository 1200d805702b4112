import { afterEach, describe, expect, it } from "vitest";
import { InProcessInvalidationBus } from "../../lib/cache/invalidation-bus.ts";
import { LiveHub } from "../../lib/live/live-hub.ts";

const decoder = new TextDecoder();

/** Reads SSE frames from a stream until `until` holds (bounded by `timeoutMs`). */
async function readFrames(stream: ReadableStream<Uint8Array>, until: (frames: string[]) => boolean, timeoutMs = 2_000): Promise<string[]> {
  const reader = stream.getReader();
  const frames: string[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(frames)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out; frames so far: ${JSON.stringify(frames)}`);
      const chunk = await Promise.race([reader.read(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out; frames: ${JSON.stringify(frames)}`)), remaining))]);
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value);
      const parts = buffer.split("\n\n");
      buffer = parts.pop()!;
      frames.push(...parts);
    }
  } finally {
    reader.releaseLock();
  }
  return frames;
}

const changes = (frames: string[]) => frames.filter((frame) => frame.includes("event: change")).map((frame) => JSON.parse(frame.split("data: ")[1]!));

describe("live hub", () => {
  const bus = new InProcessInvalidationBus();
  let hub: LiveHub;
  afterEach(() => hub?.close());

  it("announces itself, then delivers a bus message as a change event", async () => {
    hub = new LiveHub({ bus, instanceId: "a", maxStreams: 5, heartbeatMs: 60_000, maxEventsPerSecond: 5 });
    const stream = hub.open()!;
    await bus.publish({ playerId: "p1", version: 2, origin: "b" });
    const frames = await readFrames(stream, (f) => changes(f).length >= 1);
    expect(frames[0]).toContain("event: ready");
    expect(changes(frames)).toEqual([{ kind: "players", ids: ["p1"] }]);
  });

  it("coalesces a burst into few events (at most maxEventsPerSecond)", async () => {
    hub = new LiveHub({ bus, instanceId: "a", maxStreams: 5, heartbeatMs: 60_000, maxEventsPerSecond: 2 });
    const stream = hub.open()!;
    const started = Date.now();
    for (let i = 0; i < 50; i++) await bus.publish({ playerId: `p${i % 5}`, version: i, origin: "b" });
    const frames = await readFrames(stream, (f) => new Set(changes(f).flatMap((c: { ids: string[] }) => c.ids)).size >= 5);
    // The first write goes out at once, the other 49 (5 distinct players) in the next slot.
    expect(changes(frames).length).toBeLessThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("turns more changed players than one event names into kind all", async () => {
    hub = new LiveHub({ bus, instanceId: "a", maxStreams: 5, heartbeatMs: 60_000, maxEventsPerSecond: 1, maxIdsPerEvent: 3 });
    const stream = hub.open()!;
    await bus.publish({ playerId: "first", version: 1, origin: "b" });
    await readFrames(stream, (f) => changes(f).length >= 1);
    for (let i = 0; i < 10; i++) await bus.publish({ playerId: `p${i}`, version: 1, origin: "b" });
    const frames = await readFrames(stream, (f) => changes(f).length >= 1);
    expect(changes(frames)[0]).toEqual({ kind: "all", reason: "burst" });
  });

  it("refuses streams beyond the cap and frees a slot when one closes", async () => {
    hub = new LiveHub({ bus, instanceId: "a", maxStreams: 2, heartbeatMs: 60_000, maxEventsPerSecond: 5 });
    const controller = new AbortController();
    expect(hub.open(controller.signal)).not.toBeNull();
    const second = hub.open()!;
    expect(hub.open()).toBeNull();
    controller.abort();
    expect(hub.openStreams).toBe(1);
    await second.cancel();
    expect(hub.openStreams).toBe(0);
    expect(hub.open()).not.toBeNull();
  });

  it("caps streams per caller, so one token cannot lock others out, and always admits an admin (issue 20 #12)", () => {
    hub = new LiveHub({ bus, instanceId: "a", maxStreams: 4, maxStreamsPerCaller: 2, heartbeatMs: 60_000, maxEventsPerSecond: 5 });
    const viewerToken = { key: "token:viewer", exempt: false };
    expect(hub.admit(viewerToken)).toHaveProperty("stream");
    expect(hub.admit(viewerToken)).toHaveProperty("stream");
    // Before: one viewer token opened 200 streams and everyone else got 503.
    expect(hub.admit(viewerToken)).toEqual({ refusedBy: "caller" });
    expect(hub.admit({ key: "session:support", exempt: false })).toHaveProperty("stream");
    expect(hub.admit({ key: "session:other", exempt: false })).toHaveProperty("stream");
    expect(hub.admit({ key: "session:third", exempt: false })).toEqual({ refusedBy: "total" });
    // The process is full, yet the operator can still look (more than once).
    const admin = { key: "session:admin", exempt: true };
    expect(hub.admit(admin)).toHaveProperty("stream");
    expect(hub.admit(admin)).toHaveProperty("stream");
    expect(hub.admit(admin)).toHaveProperty("stream");
    expect(hub.openStreams).toBe(7);
  });

  it("ends a stream after maxAgeMs (the browser reconnects and is authenticated again) and frees its slot", async () => {
    hub = new LiveHub({ bus, instanceId: "a", maxStreams: 1, heartbeatMs: 60_000, maxEventsPerSecond: 5, maxAgeMs: 200 });
    const reader = hub.open()!.getReader();
    const started = Date.now();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(hub.openStreams).toBe(0);
  });

  it("sends heartbeats", async () => {
    hub = new LiveHub({ bus, instanceId: "a", maxStreams: 2, heartbeatMs: 1_000, maxEventsPerSecond: 5 });
    const frames = await readFrames(hub.open()!, (f) => f.some((frame) => frame.startsWith(": heartbeat")), 3_000);
    expect(frames.some((frame) => frame.startsWith(": heartbeat"))).toBe(true);
  });
});
