import { expect, type Locator, type Page } from '@playwright/test';
import { DashboardPage } from './dashboard-page.ts';

/** The services home (`/` without a service): tiles, one row per service, cross-service lists. */
export class ServicesHomePage extends DashboardPage {
  constructor(page: Page) {
    super(page);
  }

  async open(search = '') {
    await this.page.goto(search === '' ? '/' : `/?${search}`);
  }

  table(): Locator {
    return this.page.getByRole('table', { name: 'Services' });
  }

  /** Answered rows (a service still being searched has no data-count yet). */
  rows(): Locator {
    return this.table().locator('tbody tr[data-count]');
  }

  row(service: string): Locator {
    return this.table().locator(`tbody tr[data-service="${service}"]`);
  }

  tile(label: string): Locator {
    return this.page.locator('dl > div').filter({ has: this.page.locator('dt').getByText(label, { exact: true }) });
  }

  /** Waits until every service has answered: the tiles appear with the final result. */
  async waitForAllRows() {
    await expect(this.tile('Services')).toBeVisible({ timeout: 120_000 });
  }

  /** Service → { count, errors } as the table shows them, in table order. */
  async counts(): Promise<Map<string, { count: number; errors: number }>> {
    const result = new Map<string, { count: number; errors: number }>();
    for (const row of await this.rows().all()) {
      const service = (await row.getAttribute('data-service')) ?? '';
      result.set(service, { count: Number(await row.getAttribute('data-count')), errors: Number(await row.getAttribute('data-error-count')) });
    }
    return result;
  }

  async filter(text: string) {
    await this.page.getByLabel('Filter by name').fill(text);
  }

  async sortBy(column: string) {
    await this.table().getByRole('button', { name: column, exact: true }).click();
  }

  async openService(service: string) {
    await this.row(service).getByRole('link', { name: service, exact: true }).click();
  }

  async screenshotForReadme() {
    await this.page.screenshot({ path: 'public/screenshots/home.png', fullPage: true });
  }
}
