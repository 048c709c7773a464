import { expect, type Locator, type Page } from '@playwright/test';
import { testIds } from '../../lib/test-ids.ts';
import { OverviewPage } from './overview-page.ts';

/** The overview compared with a baseline window: the Δ columns and the verdict per operation. */
export class ComparedOverviewPage extends OverviewPage {
  constructor(page: Page) {
    super(page);
  }

  async compareWith(choice: string) {
    await this.page.getByLabel('Compare with').selectOption({ label: choice });
  }

  verdicts(): Locator {
    return this.page.getByTestId(testIds.changeVerdict);
  }

  async waitForComparison() {
    await expect(this.verdicts().first()).toBeVisible({ timeout: 60_000 });
  }

  /** Operation → verdict (`regression`, `improvement`, `new`, `gone` or `none`), as the table shows them. */
  async verdictByOperation(): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const row of await this.rows().all()) {
      const name = (await row.getByTestId(testIds.operationName).textContent()) ?? '';
      result.set(name, (await row.getByTestId(testIds.changeVerdict).getAttribute('data-verdict')) ?? '');
    }
    return result;
  }

  delta(operation: string, metric: string): Locator {
    return this.row(operation).locator(`[data-testid="${testIds.changeDelta}"][data-metric="${metric}"]`);
  }

  definitions(): Locator {
    return this.page.getByTestId(testIds.comparisonDefinitions);
  }

  async sortByRegression() {
    await this.page.getByRole('button', { name: 'Change' }).click();
  }

  async firstOperation(): Promise<string> {
    return (await this.rows().first().getByTestId(testIds.operationName).textContent()) ?? '';
  }

  /** README screenshot (public/screenshots/compare.png). */
  async readmeScreenshot() {
    await this.page.screenshot({ path: 'public/screenshots/compare.png', fullPage: true });
  }
}
