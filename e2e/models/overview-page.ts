import { expect, type Locator, type Page } from '@playwright/test';
import { testIds } from '../../lib/test-ids.ts';
import { DashboardPage } from './dashboard-page.ts';

/** The overview: one row per operation (or per tag value) of a service. */
export class OverviewPage extends DashboardPage {
  constructor(page: Page) {
    super(page);
  }

  async open(search: string) {
    await this.page.goto(`/?${search}`);
  }

  rows(): Locator {
    return this.page.getByTestId(testIds.operationRow);
  }

  async waitForRows() {
    await expect(this.rows().first()).toBeVisible({ timeout: 60_000 });
  }

  row(name: string): Locator {
    return this.rows().filter({ has: this.page.getByTestId(testIds.operationName).getByText(name, { exact: true }) });
  }

  /** Name → { count, errors } as the table shows them. */
  async table(): Promise<Map<string, { count: number; errors: number }>> {
    const result = new Map<string, { count: number; errors: number }>();
    for (const row of await this.rows().all()) {
      const name = (await row.getByTestId(testIds.operationName).textContent()) ?? '';
      const count = Number(((await row.getByTestId(testIds.operationCount).textContent()) ?? '').replace(/,/g, ''));
      const errors = Number(await row.getByTestId(testIds.operationErrorRate).getAttribute('data-error-count'));
      result.set(name, { count, errors });
    }
    return result;
  }

  async groupBy(tagKey: string) {
    await this.page.getByLabel('Group by').selectOption(tagKey);
  }

  async openOperation(name: string) {
    await this.row(name).getByTestId(testIds.operationName).click();
  }
}
