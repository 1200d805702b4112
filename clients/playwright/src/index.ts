/**
 * @pnakotic/playwright: combat checks against any Pnakotic server, configured by environment
 * variables only (see config.ts). Import `test` and `expect` from here instead of @playwright/test.
 */
export { expect } from "@playwright/test";
export { test } from "./fixtures.ts";
export type { PnakoticFixtures, TestPlayerOptions } from "./fixtures.ts";
export { readPnakoticEnv, PnakoticConfigError } from "./config.ts";
export type { PnakoticEnv } from "./config.ts";
export { asSave, award, heal, hit, idOf, readPlayer, ScriptedEncounter, startEncounter } from "./combat.ts";
export type { EncounterOptions, PlayerRef } from "./combat.ts";
export { expectHealth, expectLedger, expectNoIntegrityFindings, expectStat, readLedger } from "./assertions.ts";
export { CorrectionForm, PlayerPage, RestorePanel } from "./pages/player-page.ts";
