/**
 * A minimal server-sent-events reader over fetch, for tests: it collects frames as they arrive
 * and lets a test wait (bounded) for one that matches.
 */
export interface SseFrame {
  event: string;
  data: string;
  /** When the frame arrived (Date.now()). */
  receivedAt: number;
}

export interface SseConnection {
  status: number;
  contentType: string | null;
  frames: SseFrame[];
  /** Resolves with the first frame (already received or future) that matches; rejects after timeoutMs. */
  waitFor(match: (frame: SseFrame) => boolean, timeoutMs: number, what: string): Promise<SseFrame>;
  close(): Promise<void>;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { Accept: "text/event-stream", ...headers }, signal: controller.signal });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  if (response.ok && response.body) {
    void (async () => {
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += value;
          let boundary: number;
          while ((boundary = buffer.indexOf("\n\n")) >= 0) {
            const raw = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            const lines = raw.split("\n");
            const event = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? (raw.startsWith(":") ? "comment" : "message");
            const data = lines.filter((line) => line.startsWith("data: ")).map((line) => line.slice(6)).join("\n");
            frames.push({ event, data, receivedAt: Date.now() });
          }
          for (const wake of waiters) wake();
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      } finally {
        ended = true;
        for (const wake of waiters) wake();
      }
    })();
  }
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    frames,
    async waitFor(match, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.find(match);
        if (found) return found;
        if (ended) throw new Error(`stream ended before ${what}; frames: ${JSON.stringify(frames)}`);
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; frames: ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
    },
    async close() {
      controller.abort();
      if (!response.ok) await response.body?.cancel();
    },
  };
}

/** The player ids a `change` frame names (or "all"). */
export function changedIds(frame: SseFrame): string[] | "all" {
  const change = JSON.parse(frame.data) as { kind: "players"; ids: string[] } | { kind: "all" };
  return change.kind === "all" ? "all" : change.ids;
}

export const namesPlayer = (id: string) => (frame: SseFrame) => frame.event === "change" && (changedIds(frame) === "all" || (changedIds(frame) as string[]).includes(id));
