import { expect, type Locator, type Page } from '@playwright/test';

/** The drill-down's BubbleUp panel: cohort buttons, the ranked attribute table. */
export class BubbleUpPanel {
  constructor(readonly page: Page) {}

  section(): Locator {
    return this.page.getByRole('region', { name: 'BubbleUp: what the cohort has in common' });
  }

  chooseCohort(name: 'Errors' | 'Slower than p90' | 'Heatmap selection') {
    return this.section().getByRole('group', { name: 'Cohort' }).getByRole('button', { name, exact: true }).click();
  }

  table(): Locator {
    return this.section().getByRole('table', { name: 'BubbleUp attributes' });
  }

  /** Body rows, most significant first. */
  rows(): Locator {
    return this.table().locator('tbody tr');
  }

  significantMarks(): Locator {
    return this.table().getByText('significant', { exact: true });
  }

  async waitForResult() {
    await expect(this.table()).toBeVisible({ timeout: 60_000 });
  }

  /** The tag text of a row ("region = ap-south"). */
  async rowAttribute(row: Locator): Promise<string> {
    return ((await row.locator('td').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }
}
