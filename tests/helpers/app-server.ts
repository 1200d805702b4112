import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface AppServer {
  baseUrl: string;
  process: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash) and wait for exit. */
  kill(): Promise<void>;
}

/**
 * Starts the production build (`node server.mjs`, Next.js behind node:http) on a free port with the given environment and waits
 * until /api/health answers 200 (and, with `waitForListener`, the invalidation listener is up).
 */
export async function startAppServer(options: { env: Record<string, string>; port?: number; waitForListener?: boolean; user?: { uid: number; gid: number } }): Promise<AppServer> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first");
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = "";
  const child = spawn(process.execPath, [path.join(ROOT, "server.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", PNAKOTIC_INSECURE_COOKIES: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    // Another user than the tests' (root in CI, which file permissions do not stop): faults tests.
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server.mjs exited with ${child.exitCode}:\n${log}`);
    const health = await fetch(`${baseUrl}/api/health`)
      .then(async (response) => (response.ok ? ((await response.json()) as { listener?: { state: string } }) : null))
      .catch(() => null);
    if (health && (!options.waitForListener || health.listener?.state === "listening")) break;
    if (Date.now() > deadline) throw new Error(`server at ${baseUrl} not healthy within 60 s:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { baseUrl, process: child, output: () => log, stop: () => end("SIGTERM"), kill: () => end("SIGKILL") };
}
