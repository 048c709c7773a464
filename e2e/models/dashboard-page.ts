import { expect, type Page } from '@playwright/test';
import { testIds } from '../../lib/test-ids.ts';

/** What every dashboard page shares: the query bar, the status line and the error banner. */
export class DashboardPage {
  constructor(readonly page: Page) {}

  errorBanner() {
    return this.page.getByTestId(testIds.errorBanner);
  }

  modeLabel() {
    return this.page.getByTestId(testIds.modeLabel);
  }

  coverageBadge() {
    return this.page.getByTestId(testIds.coverageBadge);
  }

  /** After each step (grafana/traces-drilldown's habit): no error banner, no invalid-query notice. */
  async assertNoErrorState() {
    await expect(this.errorBanner()).toHaveCount(0);
    await expect(this.page.getByTestId(testIds.invalidQuery)).toHaveCount(0);
  }

  async copyLink(): Promise<string> {
    await this.page.getByRole('button', { name: 'Copy link' }).click();
    const field = this.page.getByTestId(testIds.copiedLink);
    await expect(field).toHaveValue(/^http/);
    return field.inputValue();
  }

  /** The saved-views disclosure under the query bar, opened. */
  async openSavedViews() {
    const summary = this.page.locator('summary', { hasText: 'Saved views' });
    // A client-side navigation keeps the disclosure as it was; only click when it is closed.
    const open = await this.page.locator('details', { has: summary }).getAttribute('open');
    if (open === null) await summary.click();
    return this.page.getByTestId(testIds.savedViews);
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
  }
}
