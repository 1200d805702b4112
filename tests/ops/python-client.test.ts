import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, inject, it } from "vitest";
import { findTool, runTool } from "../helpers/external-tool.ts";

const env = inject("ops");
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PYTHON = findTool("python3", process.env.PNAKOTIC_PYTHON);

it.runIf(PYTHON !== null)("the Python client's unittest suite passes against the real server (seed scenario, stale save, retries, typed errors; asyncio drop-in replaying the seed log 13:40:48–13:41:19)", async () => {
  const result = await runTool(PYTHON!, ["-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v"], {
    cwd: path.join(ROOT, "clients/python"),
    env: { PNAKOTIC_URL: env.baseUrl, PNAKOTIC_TOKEN: env.serviceToken, PNAKOTIC_ADMIN_TOKEN: env.adminToken, PYTHONDONTWRITEBYTECODE: "1" },
    timeoutMs: 90_000,
  });
  // unittest reports on stderr.
  const report = result.stderr;
  expect(result.code, report + result.stdout).toBe(0);
  expect(report).toMatch(/^Ran 15 tests/m);
  expect(report).toMatch(/test_archive_refuses_writes_and_a_test_player_is_purged_with_its_ledger .*\.\.\. ok/);
  expect(report).toMatch(/test_seed_scenario_100_90_80_70_xp_plus_one_and_a_stale_save_refused .*\.\.\. ok/);
  expect(report).toMatch(/test_seed_log_timeline_13_40_48_to_13_41_19_through_the_async_drop_in .*\.\.\. ok/);
  expect(report).toMatch(/test_writes_started_together_apply_in_call_order_per_player_and_in_parallel_across_players .*\.\.\. ok/);

  // Only update_player_field may skip, and only while the server's document lacks the stats route.
  const document = (await (await fetch(`${env.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
  const skipped = [...report.matchAll(/^(test_\w+) .*\.\.\. skipped/gm)].map((match) => match[1]);
  expect(skipped).toEqual("/api/v1/players/{id}/stats" in document.paths ? [] : ["test_update_player_field"]);
});
