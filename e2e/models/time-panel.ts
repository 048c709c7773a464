import { expect, type Locator, type Page } from '@playwright/test';

/** One row of a "Where the time goes" table: its service and operation, then each cell's exact value (µs or share from its title, else its text). */
export interface TimeRow {
  readonly key: string;
  readonly cells: readonly string[];
}

/** The drill-down's "Where the time goes" panel (app/operation/_components/time-panel.tsx). */
export class TimePanel {
  constructor(private readonly page: Page) {}

  section(): Locator {
    return this.page.getByRole('region', { name: 'Where the time goes' });
  }

  table(name: 'Critical path by operation' | 'Self time by operation' | 'Slow vs fast traces'): Locator {
    return this.section().getByRole('table', { name });
  }

  async waitForData() {
    await expect(this.table('Critical path by operation')).toBeVisible({ timeout: 90_000 });
  }

  async rows(name: Parameters<TimePanel['table']>[0]): Promise<TimeRow[]> {
    return this.table(name)
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => {
          const cells = [...row.querySelectorAll('td')].map((cell) => {
            const title = cell.getAttribute('title') ?? '';
            if (/^-?\d+ µs$/.test(title)) return title.replace(' µs', '');
            return /^[\d.e-]+$/.test(title) ? title : (cell.textContent?.trim() ?? '');
          });
          return { key: `${cells[0]}\t${cells[1]}`, cells: cells.slice(2) };
        }),
      );
  }

  async screenshot() {
    await this.section().scrollIntoViewIfNeeded();
    await this.section().screenshot({ path: 'public/screenshots/time.png' });
  }
}
