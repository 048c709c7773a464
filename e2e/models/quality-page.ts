import { expect, type Page } from '@playwright/test';

export interface QualityServiceRow {
  readonly service: string;
  readonly problemShare: string;
  readonly spans: number;
  readonly orphans: number;
  readonly rootlessTraces: number;
  readonly unexpectedRoots: number;
  readonly clockSkew: number;
  readonly duplicates: number;
}

const count = (text: string | undefined) => Number((text ?? '').replace(/,/g, ''));

/** The trace-quality page (`/quality`): summary tiles, propagation breaks, the per-service table, the charts. */
export class QualityPage {
  constructor(readonly page: Page) {}

  async goto(params: string) {
    await this.page.goto(`/quality?${params}`);
    await expect(this.servicesTable()).toBeVisible({ timeout: 90_000 });
  }

  servicesTable() {
    return this.page.getByRole('table', { name: 'Services by trace quality' });
  }

  /** A summary tile's value, by its exact name. */
  tile(name: string) {
    return this.page
      .locator('dl[aria-label="Summary"] > div')
      .filter({ has: this.page.getByText(name, { exact: true }) })
      .locator('dd');
  }

  breaks() {
    return this.page.getByRole('list', { name: 'Propagation breaks' }).getByRole('listitem');
  }

  /** The list item saying "CALLER → CALLEE loses context in …". */
  breakItem(caller: string, callee: string) {
    return this.breaks().filter({ hasText: `${caller} → ${callee} loses context in` });
  }

  chart(title: string) {
    return this.page.getByRole('figure', { name: title });
  }

  async serviceRows(): Promise<QualityServiceRow[]> {
    const out: QualityServiceRow[] = [];
    for (const row of await this.servicesTable().locator('tbody tr').all()) {
      const cells = (await row.locator('td').allTextContents()).map((text) => text.trim());
      out.push({
        service: cells[0] ?? '',
        problemShare: cells[1] ?? '',
        spans: count(cells[2]),
        orphans: count(cells[3]),
        rootlessTraces: count(cells[4]),
        unexpectedRoots: count(cells[5]),
        clockSkew: count(cells[6]),
        duplicates: count(cells[7]),
      });
    }
    return out;
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
  }
}
