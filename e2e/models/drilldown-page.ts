import { expect, type Locator, type Page } from '@playwright/test';
import { testIds } from '../../lib/test-ids.ts';
import { DashboardPage } from './dashboard-page.ts';

/** One operation: timelines, the latency heatmap, slowest spans and the breakdown. */
export class DrilldownPage extends DashboardPage {
  constructor(page: Page) {
    super(page);
  }

  async open(search: string) {
    await this.page.goto(`/operation?${search}`);
  }

  heatmapCells(): Locator {
    return this.page.getByTestId(testIds.heatmap).getByTestId(testIds.heatmapCell);
  }

  async waitForData() {
    await expect(this.heatmapCells().first()).toBeVisible({ timeout: 60_000 });
  }

  slowestRows(): Locator {
    return this.page.getByTestId(testIds.slowestTable).first().getByTestId(testIds.slowestRow);
  }

  searchInJaegerLink(): Locator {
    return this.page.getByTestId(testIds.jaegerSearchLink);
  }

  cellSelection(): Locator {
    return this.page.getByTestId(testIds.heatmapSelection);
  }
}
