import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort, startAppServer } from "../helpers/app-server.ts";
import type { AppServer } from "../helpers/app-server.ts";
import { waitFor } from "../helpers/test-database.ts";
import { findTool } from "../helpers/external-tool.ts";

/*
 * Two real instances behind Debian's nginx running the shipped deploy/nginx/pnakotic.conf (only
 * its upstream servers and listen address replaced), plain round robin. The instances are this
 * file's own (same PostgreSQL database as the rest of the project) so it can set TRUSTED_PROXIES
 * and read their logs.
 */
const env = inject("multi");
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NGINX = findTool("nginx", process.env.PNAKOTIC_NGINX);
const SHIPPED_CONFIG = path.join(ROOT, "deploy/nginx/pnakotic.conf");
/** nginx reaches the instances from here; the test's client speaks from another loopback address. */
const PROXY_ADDRESS = "127.0.0.1";
const CLIENT_ADDRESS = "127.0.0.5";
/** See the pending test below: the very next request after a write, on the other instance, may be stale. */
const READ_YOUR_WRITES_ACROSS_INSTANCES = false;
/**
 * Pending merge: client-address resolution behind trusted proxies (TRUSTED_PROXIES, lib/http/client-address.ts,
 * server.mjs) is another engineer's work. The check below runs as soon as that file exists.
 */
const CLIENT_ADDRESS_RESOLUTION_MERGED = existsSync(path.join(ROOT, "lib/http/client-address.ts"));
/** Pending merge: the console's live updates (server-sent events at /api/v1/live) are another engineer's work. */
const LIVE_UPDATES_MERGED = existsSync(path.join(ROOT, "app/api/v1/live/route.ts"));

const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-nginx-"));
const instances: AppServer[] = [];
let nginx: ChildProcess | undefined;
let nginxOutput = "";
let proxyUrl = "";

/** nginx's access log: one "<method> <uri> <status> <upstream address>" line per request. */
function upstreamLog(): Array<{ method: string; uri: string; status: number; upstream: string }> {
  const file = path.join(dir, "access.log");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [method, uri, status, upstream] = line.split(" ");
      return { method: method!, uri: uri!, status: Number(status), upstream: upstream! };
    });
}

/** A request through the proxy from CLIENT_ADDRESS (node:http, so the source address can be chosen). */
function viaProxy(method: string, urlPath: string, options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {}) {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const token = options.token === undefined ? env.serviceToken : options.token;
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }>((resolve, reject) => {
    const request = http.request(
      `${proxyUrl}${urlPath}`,
      {
        method,
        localAddress: CLIENT_ADDRESS,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) } : {}),
          ...options.headers,
        },
        timeout: 10_000,
      },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => {
          const json = String(response.headers["content-type"] ?? "").includes("json");
          try {
            resolve({ status: response.statusCode!, headers: response.headers, body: json && text ? JSON.parse(text) : text });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${method} ${urlPath} through nginx timed out`)));
    request.on("error", reject);
    request.end(payload);
  });
}

function nginxConfig(upstreams: string[], port: number): string {
  const shipped = readFileSync(SHIPPED_CONFIG, "utf8");
  const servers = upstreams.map((url) => `    server ${new URL(url).host} max_fails=3 fail_timeout=10s;`).join("\n");
  const site = shipped
    .replace(/# pnakotic-upstream-servers-begin[\s\S]*# pnakotic-upstream-servers-end/, servers)
    .replace(/# pnakotic-listen\n\s*listen 80;/, `listen ${PROXY_ADDRESS}:${port};`);
  if (site.includes("127.0.0.1:3000") || site.includes("listen 80;")) throw new Error("deploy/nginx/pnakotic.conf lost its test markers");
  writeFileSync(path.join(dir, "pnakotic.conf"), site);
  for (const temp of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, temp), { recursive: true });
  return [
    ...(process.getuid?.() === 0 ? ["user root;"] : []),
    "daemon off;",
    "worker_processes 1;",
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    "events { worker_connections 256; }",
    "http {",
    "  log_format upstreams '$request_method $request_uri $status $upstream_addr';",
    `  access_log ${dir}/access.log upstreams;`,
    `  client_body_temp_path ${dir}/body;`,
    `  proxy_temp_path ${dir}/proxy;`,
    `  fastcgi_temp_path ${dir}/fastcgi;`,
    `  uwsgi_temp_path ${dir}/uwsgi;`,
    `  scgi_temp_path ${dir}/scgi;`,
    `  include ${dir}/pnakotic.conf;`,
    "}",
    "",
  ].join("\n");
}

beforeAll(async () => {
  if (NGINX === null) return;
  for (const name of ["proxied-1", "proxied-2"]) {
    instances.push(
      await startAppServer({
        env: { DATABASE_URL: env.databaseUrl, INSTANCE_ID: name, CACHE_TTL_MS: "60000", TRUSTED_PROXIES: PROXY_ADDRESS, LOG_LEVEL: "info" },
        waitForListener: true,
      }),
    );
  }
  const port = await freePort();
  proxyUrl = `http://${PROXY_ADDRESS}:${port}`;
  writeFileSync(path.join(dir, "nginx.conf"), nginxConfig(instances.map((instance) => instance.baseUrl), port));
  nginx = spawn(NGINX!, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "error.log")], { stdio: ["ignore", "pipe", "pipe"] });
  nginx.stdout!.on("data", (chunk: Buffer) => (nginxOutput += chunk.toString()));
  nginx.stderr!.on("data", (chunk: Buffer) => (nginxOutput += chunk.toString()));
  await waitFor(
    async () => {
      if (nginx!.exitCode !== null) throw new Error(`nginx exited with ${nginx!.exitCode}:\n${nginxOutput}\n${existsSync(path.join(dir, "error.log")) ? readFileSync(path.join(dir, "error.log"), "utf8") : ""}`);
      return (await viaProxy("GET", "/api/health", { token: null }).catch(() => null))?.status === 200;
    },
    20_000,
    "nginx to proxy /api/health",
  );
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    nginx.kill("SIGQUIT");
    await new Promise((resolve) => nginx!.once("exit", resolve));
  }
  await Promise.all(instances.map((instance) => instance.stop()));
  if (process.env.PNAKOTIC_TEST_SERVER_LOG === "1") console.log(instances.map((instance) => instance.output()).join("\n----\n"));
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(NGINX !== null)("two instances behind nginx (deploy/nginx/pnakotic.conf, round robin, no stickiness)", () => {
  /**
   * Writes and reads alternate between the instances; every read after a write must see it. With
   * `strict`, the very next request must; without, within 1 s (LISTEN/NOTIFY delivers in a few ms;
   * the bound leaves room for the proxy round trips on a busy shared machine).
   * Returns how many reads right after a write were stale.
   */
  async function writeThenReadThroughProxy(strict: boolean): Promise<number> {
    const created = await viaProxy("POST", "/api/v1/players", { body: { name: `proxied-${Date.now()}`, experiencePoints: 554 } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const logBefore = upstreamLog().length;
    let health = 100;
    let staleRightAfterWrite = 0;
    for (let round = 1; round <= 20; round += 1) {
      // Warm both instances' caches, so a stale cached copy would be served if invalidation failed.
      for (let read = 0; read < 2; read += 1) expect((await viaProxy("GET", `/api/v1/players/${id}`)).body.health).toBe(health);
      const damaged = await viaProxy("POST", `/api/v1/players/${id}/damage`, { body: { amount: 1 } });
      expect(damaged.status).toBe(200);
      health -= 1;
      const acknowledged = Date.now();
      // The next two requests land on one instance each (5 requests a round: positions alternate).
      for (let read = 1; read <= 2; read += 1) {
        const next = await viaProxy("GET", `/api/v1/players/${id}`);
        if (next.body.health === health) continue;
        staleRightAfterWrite += 1;
        if (strict) expect(next.body.health, `round ${round}, read ${read} after the write (X-Cache ${String(next.headers["x-cache"])})`).toBe(health);
        // Two fresh reads in a row: one from each instance (round robin).
        const freshRead = async () => (await viaProxy("GET", `/api/v1/players/${id}`)).body.health === health;
        await waitFor(async () => (await freshRead()) && (await freshRead()), 2_000, `round ${round}: the write to be visible on both instances`);
        expect(Date.now() - acknowledged, `round ${round}: visible on every instance within 1 s`).toBeLessThan(1_000);
      }
    }
    const experience = await viaProxy("POST", `/api/v1/players/${id}/experience`, { body: { amount: 1 } });
    expect(experience.body.player).toMatchObject({ health: 80, experiencePoints: 555 });

    // Both instances answered, both the writes and the reads.
    const requests = upstreamLog().slice(logBefore).filter((entry) => entry.uri.startsWith(`/api/v1/players/${id}`));
    const instancesFor = (method: string) => new Set(requests.filter((entry) => entry.method === method).map((entry) => entry.upstream));
    const expected = new Set(instances.map((instance) => new URL(instance.baseUrl).host));
    expect(instancesFor("GET")).toEqual(expected);
    expect(instancesFor("POST")).toEqual(expected);
    expect(requests.every((entry) => entry.status === 200)).toBe(true);
    return staleRightAfterWrite;
  }

  it("a write through the proxy is read back by whichever instance answers, within 1 s; both instances answer", async () => {
    const stale = await writeThenReadThroughProxy(false);
    if (stale > 0) console.warn(`behind nginx: ${stale} of 40 reads right after a write were stale (read-your-writes across instances is pending)`);
  });

  // PENDING (product): today a write is acknowledged before the other instance's listener has
  // received its NOTIFY, so the very next request, if the balancer sends it there, can read the
  // cached pre-write copy (reproduced: "round 17, read 1 after the write (X-Cache hit): expected
  // 84 to be 83"). Flip this once writes wait for their invalidation to reach every instance.
  it.runIf(READ_YOUR_WRITES_ACROSS_INSTANCES)("a write through the proxy is read back fresh by the very next request, whichever instance answers", async () => {
    expect(await writeThenReadThroughProxy(true)).toBe(0);
  });

  it("keeps metrics off the balancer (each instance is scraped directly)", async () => {
    expect((await viaProxy("GET", "/api/metrics")).status).toBe(404);
  });

  it.runIf(LIVE_UPDATES_MERGED)("server-sent events pass through unbuffered: a write through the proxy reaches a stream opened through it within 1 s", async () => {
    const signedIn = await viaProxy("POST", "/api/v1/auth/session", { token: null, body: { username: "admin", password: env.adminPassword }, headers: { Origin: proxyUrl } });
    expect(signedIn.status).toBe(200);
    const cookie = String(signedIn.headers["set-cookie"]?.[0] ?? "").split(";")[0]!;
    const created = await viaProxy("POST", "/api/v1/players", { body: { name: `proxied-live-${Date.now()}` } });
    const id = created.body.id as string;

    const frames: Array<{ event: string; data: string; at: number }> = [];
    let buffer = "";
    const stream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.get(`${proxyUrl}/api/v1/live`, { localAddress: CLIENT_ADDRESS, headers: { Cookie: cookie, Accept: "text/event-stream" } }, resolve);
      request.on("error", reject);
    });
    try {
      expect(stream.statusCode).toBe(200);
      expect(String(stream.headers["content-type"])).toContain("text/event-stream");
      stream.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) => block.split("\n").filter((line) => line.startsWith(`${name}:`)).map((line) => line.slice(name.length + 1).trim()).join("\n");
          if (field("event") || field("data")) frames.push({ event: field("event") || "message", data: field("data"), at: Date.now() });
        }
      });
      await waitFor(() => frames.some((frame) => frame.event === "ready"), 5_000, "the stream's ready event through nginx");
      for (let round = 0; round < 3; round += 1) {
        const before = frames.length;
        const sent = Date.now();
        expect((await viaProxy("POST", `/api/v1/players/${id}/damage`, { body: { amount: 1 } })).status).toBe(200);
        await waitFor(() => frames.slice(before).some((frame) => frame.data.includes(id) || frame.data.includes('"kind":"all"')), 1_000, `write ${round} to reach the stream`);
        expect(frames.slice(before).find((frame) => frame.data.includes(id) || frame.data.includes('"kind":"all"'))!.at - sent).toBeLessThan(1_000);
      }
    } finally {
      stream.destroy();
    }
  });

  it.runIf(CLIENT_ADDRESS_RESOLUTION_MERGED)("logs the real client address (X-Forwarded-For from a trusted proxy), not the proxy's", async () => {
    const username = `nobody-${Date.now()}`;
    const origin = proxyUrl;
    const failed = await viaProxy("POST", "/api/v1/auth/session", { token: null, body: { username, password: "wrong-password-1" }, headers: { Origin: origin } });
    expect(failed.status).toBe(401);
    await waitFor(() => instances.some((instance) => instance.output().includes(username)), 5_000, "the failed sign-in to be logged");
    const line = instances
      .flatMap((instance) => instance.output().split("\n"))
      .find((entry) => entry.includes(username) && entry.includes("failed sign-in"));
    expect(line, "a 'failed sign-in' log line naming the user").toBeDefined();
    const logged = JSON.parse(line!) as { clientAddress?: string };
    expect(logged.clientAddress).toBe(CLIENT_ADDRESS);
  });
  it.runIf(CLIENT_ADDRESS_RESOLUTION_MERGED)("sign-in throttling through the proxy: a rotated X-Forwarded-For does not bypass it, and both instances share the count", async () => {
    const username = `throttled-${Date.now()}`;
    const logBefore = upstreamLog().length;
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      // The client forges a new address each time; nginx appends the real one, the only one the app believes.
      const response = await viaProxy("POST", "/api/v1/auth/session", {
        token: null,
        body: { username, password: `wrong-password-${attempt}` },
        headers: { Origin: proxyUrl, "X-Forwarded-For": `203.0.113.${attempt}` },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const answeredBy = new Set(upstreamLog().slice(logBefore).filter((entry) => entry.uri === "/api/v1/auth/session").map((entry) => entry.upstream));
    expect(answeredBy.size).toBe(2);
  });
});
