import { expect, type Locator, type Page } from '@playwright/test';

/** The "Exact beside SPM" table on the overview and the services home, and the name-folding toggle. */
export class SpmPanel {
  constructor(readonly page: Page) {}

  table(): Locator {
    return this.page.getByRole('table', { name: 'Exact numbers beside SPM' });
  }

  /** Column header → cell text of the row named `name`. */
  async row(name: string): Promise<Record<string, string>> {
    const headers = await this.table().getByRole('columnheader').allTextContents();
    const row = this.table()
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
    await expect(row).toHaveCount(1);
    const cells = await row.getByRole('cell').allTextContents();
    return Object.fromEntries(headers.slice(1).map((header, i) => [header, cells[i] ?? '']));
  }

  foldToggle(): Locator {
    return this.page.getByLabel('Fold IDs in names');
  }

  /** The checkbox follows the URL (router.replace), so its state changes a moment after the click. */
  async toggleFolding() {
    await this.foldToggle().click();
  }

  foldedNotice(): Locator {
    return this.page.getByRole('status').filter({ hasText: /folded/ });
  }
}
