import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { registerSqliteFunctions } from "../../lib/persistence/sqlite-functions.ts";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../helpers/app-server.ts";
import { waitFor } from "../helpers/test-database.ts";
import { findTool, runTool } from "../helpers/external-tool.ts";

const havePromtool = findTool("promtool", process.env.PNAKOTIC_PROMTOOL) !== null;

const env = inject("ops");
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RULES = path.join(ROOT, "deploy/prometheus/alerts.yml");
const RULE_TESTS = path.join(ROOT, "deploy/prometheus/alerts.test.yml");
const PROMTOOL = findTool("promtool", process.env.PNAKOTIC_PROMTOOL) ?? "promtool";
const PROMETHEUS = findTool("prometheus", process.env.PNAKOTIC_PROMETHEUS);

async function scrape(token = env.scrapeToken): Promise<Response> {
  return fetch(`${env.baseUrl}/api/metrics`, { headers: { Authorization: `Bearer ${token}` } });
}

async function service(method: string, urlPath: string, body?: unknown): Promise<Response> {
  return fetch(`${env.baseUrl}${urlPath}`, {
    method,
    headers: { Authorization: `Bearer ${env.serviceToken}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Sum of a counter's samples whose labels include `labels` (text exposition format). */
function counterValue(exposition: string, name: string, labels: string): number {
  return exposition
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}

describe.runIf(havePromtool)("shipped alerting rules", () => {
  const alertNames = [...readFileSync(RULES, "utf8").matchAll(/^\s+- alert: (\w+)$/gm)].map((match) => match[1]!);

  it("pass promtool check rules", async () => {
    const result = await runTool(PROMTOOL, ["check", "rules", RULES]);
    expect(result.stderr + result.stdout).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("pass their promtool unit tests, and every alert has one and a runbook line in the README", async () => {
    expect(alertNames).toEqual([
      "PnakoticCacheHitRateLow",
      "PnakoticStaleSavesSpike",
      "PnakoticPersistenceErrors",
      "PnakoticIntegrityFindings",
      "PnakoticInvalidationListenerDown",
      "PnakoticDatabaseUnavailable",
      "PnakoticWriteLatencyHigh",
    ]);
    const result = await runTool(PROMTOOL, ["test", "rules", RULE_TESTS]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const tests = readFileSync(RULE_TESTS, "utf8");
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    for (const alert of alertNames) {
      // A firing case: an alert_rule_test for this alert with a non-empty exp_alerts.
      expect(tests, `${alert} has a firing unit test`).toMatch(new RegExp(`alertname: ${alert}\\n\\s+eval_time: \\S+\\n\\s+exp_alerts:\\n\\s+- exp_labels`));
      expect(readme, `${alert} has a runbook entry`).toContain(`<a id="alert-${alert.toLowerCase()}"></a>`);
    }
  });

  it("are what the Grafana dashboard charts: every metric the rules use has a panel", () => {
    const dashboard = readFileSync(path.join(ROOT, "deploy/grafana/pnakotic.json"), "utf8");
    const rules = readFileSync(RULES, "utf8");
    const metrics = new Set([...rules.matchAll(/\b(pnakotic_[a-z_]+?)(?:_bucket)?\b/g)].map((match) => match[1]!));
    for (const metric of metrics) expect(dashboard, `dashboard charts ${metric}`).toContain(metric);
  });
});

describe.runIf(havePromtool)("a live /api/metrics", () => {
  it("refuses a scrape without the token and passes promtool check metrics with no problems", async () => {
    expect((await scrape("wrong-token-0123456789abcdef")).status).toBe(401);
    // Some traffic first, so labelled series (operations, routes) are present, not just declared.
    const created = await service("POST", "/api/v1/players", { name: `promtool-${Date.now()}` });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await service("POST", `/api/v1/players/${id}/damage`, { amount: 1 })).status).toBe(200);
    expect((await service("GET", `/api/v1/players/${id}`)).status).toBe(200);

    const response = await scrape();
    expect(response.status).toBe(200);
    const exposition = await response.text();
    for (const metric of ["pnakotic_database_up 1", "pnakotic_invalidation_listener_up 1", "pnakotic_player_write_duration_seconds_bucket", "pnakotic_nodejs_active_resources"]) {
      expect(exposition).toContain(metric);
    }
    expect(exposition).not.toMatch(/nodejs_active_\w+_total/);
    expect(exposition, "no player id in any label").not.toContain(id);
    const result = await runTool(PROMTOOL, ["check", "metrics"], { input: exposition });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

describe.runIf(PROMETHEUS !== null)("a real Prometheus", () => {
  let prometheus: ChildProcess | undefined;
  let output = "";
  const dir = mkdtempSync(path.join(os.tmpdir(), "pnakotic-prometheus-"));
  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      prometheus.kill("SIGTERM");
      await new Promise((resolve) => prometheus!.once("exit", resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    expect(body.status, JSON.stringify(body)).toBe("success");
    return body.data.result;
  }
  let prometheusUrl = "";

  it("scrapes the instance with the scrape token and answers the hit-rate query", async () => {
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    writeFileSync(path.join(dir, "token"), env.scrapeToken);
    writeFileSync(
      path.join(dir, "prometheus.yml"),
      [
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "rule_files:",
        `  - ${RULES}`,
        "scrape_configs:",
        "  - job_name: pnakotic",
        "    metrics_path: /api/metrics",
        "    authorization:",
        `      credentials_file: ${path.join(dir, "token")}`,
        "    static_configs:",
        `      - targets: ["${new URL(env.baseUrl).host}"]`,
        "",
      ].join("\n"),
    );
    prometheus = spawn(PROMETHEUS!, [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    prometheus.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    prometheus.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));

    // Scraping with the token works (up == 1) before any traffic we count.
    await waitFor(
      async () => {
        if (prometheus!.exitCode !== null) throw new Error(`prometheus exited:\n${output}`);
        const up = await query('up{job="pnakotic"}').catch(() => []);
        return up[0]?.value[1] === "1";
      },
      30_000,
      "Prometheus to scrape the instance",
    );

    // 2 players read 5 times each: after the first read every read is a hit (entries live 10 min here).
    for (let player = 0; player < 2; player += 1) {
      const created = await service("POST", "/api/v1/players", { name: `prometheus-${Date.now()}-${player}` });
      const { id } = (await created.json()) as { id: string };
      const sources: string[] = [];
      for (let read = 0; read < 5; read += 1) sources.push((await service("GET", `/api/v1/players/${id}`)).headers.get("x-cache") ?? "");
      expect(sources.slice(1)).toEqual(["hit", "hit", "hit", "hit"]);
    }
    const exposition = await (await scrape()).text();
    const hits = counterValue(exposition, "pnakotic_player_cache_gets_total", 'result="hit"');
    const misses = counterValue(exposition, "pnakotic_player_cache_gets_total", 'result="miss"');
    expect(hits).toBeGreaterThanOrEqual(8);
    expect(misses).toBeGreaterThanOrEqual(1);
    const expected = hits / (hits + misses);

    const hitRate = 'sum(pnakotic_player_cache_gets_total{job="pnakotic", result="hit"}) / sum(pnakotic_player_cache_gets_total{job="pnakotic"})';
    let answered = Number.NaN;
    await waitFor(
      async () => {
        const result = await query(hitRate);
        answered = Number(result[0]?.value[1]);
        return Math.abs(answered - expected) < 1e-9;
      },
      30_000,
      `Prometheus to answer the hit rate ${expected}`,
    );
    expect(answered).toBeCloseTo(expected, 9);

    // The shipped recording rule runs on the real series too (traffic within its 5-minute window).
    await waitFor(async () => (await query("pnakotic:player_cache_hit_ratio:rate5m")).length === 1, 30_000, "the recording rule to produce a sample");
    const [recorded] = await query("pnakotic:player_cache_hit_ratio:rate5m");
    expect(Number(recorded!.value[1])).toBeGreaterThan(0);
    expect(Number(recorded!.value[1])).toBeLessThanOrEqual(1);
    // And no alert fires on a healthy instance.
    expect(await query('ALERTS{alertname=~"PnakoticDatabaseUnavailable|PnakoticInvalidationListenerDown|PnakoticPersistenceErrors"}')).toEqual([]);
  });

  it("fires PnakoticIntegrityFindings when an integrity run finds a player broken outside the app", async () => {
    expect(prometheusUrl, "Prometheus runs (previous test)").not.toBe("");
    const created = await service("POST", "/api/v1/players", { name: `broken-${Date.now()}` });
    const { id } = (await created.json()) as { id: string };
    // A manual change straight in the database that the ledger cannot explain (five versions
    // without a single ledger row).
    const db = registerSqliteFunctions(new Database(env.databaseFile));
    try {
      db.prepare(`UPDATE "Player" SET "version" = "version" + 5 WHERE "id" = ?`).run(id);
    } finally {
      db.close();
    }
    const run = await fetch(`${env.baseUrl}/api/v1/integrity/runs`, { method: "POST", headers: { Authorization: `Bearer ${env.adminToken}` } });
    expect(run.status, await run.clone().text()).toBeLessThan(300);
    const { findings } = (await run.json()) as { findings: Array<{ playerId: string; kind: string }> };
    expect(findings).toContainEqual(expect.objectContaining({ playerId: id, kind: "ledger_mismatch" }));

    await waitFor(async () => (await query('ALERTS{alertname="PnakoticIntegrityFindings", alertstate="firing"}')).length === 1, 30_000, "the integrity alert to fire");
    const [findingsGauge] = await query("max(pnakotic_integrity_findings)");
    expect(Number(findingsGauge!.value[1])).toBe(findings.length);
  });
});
