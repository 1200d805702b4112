import { expect } from "@playwright/test";
import type { Locator, Page } from "@playwright/test";
import { idOf } from "../combat.ts";
import type { PlayerRef } from "../combat.ts";

/** The health-correction form on the player page (support and admin). */
export class CorrectionForm {
  readonly form: Locator;
  constructor(page: Page) {
    this.form = page.getByRole("form", { name: "Correct health" });
  }

  /** Fills the new health and the reason and opens the confirmation (nothing is applied yet). */
  async review(health: number, reason: string): Promise<void> {
    await this.form.getByLabel("New health").fill(String(health));
    await this.form.getByLabel("Reason (required)").fill(reason);
    await this.form.getByRole("button", { name: "Review correction" }).click();
  }

  async apply(): Promise<void> {
    await this.form.getByRole("button", { name: "Apply correction" }).click();
  }

  /** The correction went through: the status says "Health corrected: before → after". */
  async expectApplied(before: number, after: number): Promise<void> {
    await expect(this.form.getByRole("status")).toContainText(`${before} → ${after}`);
  }

  /** The 409 flow: not applied, the current value shown, and the way forward focused. */
  async expectConflict(currentHealth: number): Promise<void> {
    const alert = this.form.getByRole("alert");
    await expect(alert).toContainText("Not applied: the player changed while you were editing");
    await expect(alert).toContainText(`It is now ${currentHealth}`);
    await expect(this.form.getByRole("button", { name: `Review again with health ${currentHealth}` })).toBeFocused();
  }

  async reviewAgain(currentHealth: number): Promise<void> {
    await this.form.getByRole("button", { name: `Review again with health ${currentHealth}` }).click();
  }
}

/** "As of": the state at an earlier ledger change, and restoring the player to it. */
export class RestorePanel {
  readonly region: Locator;
  constructor(private readonly page: Page) {
    this.region = page.getByRole("region", { name: "As of" });
  }

  /** Moves the slider `steps` ledger changes back. */
  async stepBack(steps = 1): Promise<void> {
    await this.region.getByRole("slider", { name: "As of (ledger change)" }).focus();
    for (let step = 0; step < steps; step += 1) await this.page.keyboard.press("ArrowLeft");
  }

  async restore(reason: string): Promise<void> {
    await this.region.getByRole("button", { name: "Preview restore to this moment" }).click();
    const preview = this.region.getByRole("form", { name: "Restore preview" });
    await preview.getByLabel("Reason (required, audited)").fill(reason);
    await preview.getByRole("button", { name: "Apply restore" }).click();
  }

  async expectRestored(text: string): Promise<void> {
    await expect(this.region.getByRole("status")).toContainText(text);
  }
}

/**
 * The console's player page, found by role and label: the live health meter, the ledger and the
 * health timeline, the correction form and the restore panel.
 */
export class PlayerPage {
  readonly correction: CorrectionForm;
  readonly restore: RestorePanel;
  readonly ledger: Locator;
  readonly timeline: Locator;

  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {
    this.correction = new CorrectionForm(page);
    this.restore = new RestorePanel(page);
    this.ledger = page.getByRole("region", { name: "Ledger" });
    this.timeline = page.getByRole("region", { name: "Health timeline" });
  }

  async goto(player: PlayerRef): Promise<void> {
    await this.page.goto(`${this.baseUrl}/players/${encodeURIComponent(idOf(player))}`);
    await expect(this.page.getByRole("heading", { level: 1 })).toBeVisible();
  }

  /** The page receives changes through the live stream (not polling, not paused). */
  async expectLive(): Promise<void> {
    await expect(this.page.getByRole("status", { name: "Updates: Live" })).toBeVisible();
  }

  /** Stops live updates (to hold a stale view on purpose, as in the 409 flow). */
  async pause(): Promise<void> {
    await this.page.getByRole("button", { name: "Pause" }).click();
    await expect(this.page.getByRole("status", { name: "Updates: Paused" })).toBeVisible();
  }

  /**
   * Waits — without sleeping — until the page shows this health. With the page live, the change
   * arrives through the server's live stream: Playwright re-checks the DOM as it changes.
   */
  async expectHealth(health: number, maxHealth: number): Promise<void> {
    await expect(this.page.getByRole("img", { name: `${health} of ${maxHealth} health` })).toBeVisible();
  }

  /** The newest ledger row (the table lists newest first). */
  newestLedgerRow(): Locator {
    return this.ledger.locator("tbody tr").first();
  }
}
