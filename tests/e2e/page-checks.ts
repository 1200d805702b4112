import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

export const SHOTS = "tests/.artifacts/screenshots";

/** A chart counts as drawn when its SVG has a data path with real geometry, not just axes. */
export async function expectDrawnChart(page: Page, panel: string, selector: string) {
  const paths = page.getByRole("region", { name: panel }).locator(selector);
  await expect(paths.first()).toBeVisible();
  const longest = await paths.evaluateAll((elements) => Math.max(0, ...elements.map((element) => (element.getAttribute("d") ?? "").length)));
  expect(longest, `${panel}: ${selector} has no data`).toBeGreaterThan(40);
}

/** No horizontal page scroll: whatever is wide (tables) must scroll inside its own panel. */
export async function expectNoHorizontalScroll(page: Page, name: string) {
  const { overflow, culprits } = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    // The outermost elements reaching past the right edge, to say what overflowed.
    const wide = [...document.querySelectorAll("body *")].filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5);
    const outermost = wide.filter((element) => !wide.includes(element.parentElement!));
    return {
      overflow: root.scrollWidth - root.clientWidth,
      culprits: outermost.slice(0, 5).map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} (${Math.round(element.getBoundingClientRect().width)}px)`),
    };
  });
  expect(overflow, `${name} scrolls sideways by ${overflow}px: ${culprits.join(", ")}`).toBeLessThanOrEqual(0);
}

/** axe-core on the whole page: no serious or critical violations (WCAG 2.1 A/AA and best practices). */
export async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  const summary = blocking.map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 5).join("\n  ")}`);
  expect(summary, `${name}: axe found serious or critical violations`).toEqual([]);
}

export async function shoot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: options.fullPage ?? true });
}

/** Screenshot, sideways-scroll check and axe for one page. */
export async function checkPage(page: Page, name: string) {
  await expectNoHorizontalScroll(page, name);
  await expectAccessible(page, name);
  await shoot(page, name);
}
