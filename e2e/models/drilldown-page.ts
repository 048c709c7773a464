import { expect, type Locator, type Page } from '@playwright/test';
import { testIds } from '../../lib/test-ids.ts';
import { DashboardPage } from './dashboard-page.ts';

const US_PER_UNIT = { µs: 1, ms: 1_000, s: 1_000_000, min: 60_000_000 } as const;

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

  /** Each cell's span count and lower duration edge, read from its label ("12 spans, 1.26 s–1.59 s, …"). */
  async heatmapCellReadings(): Promise<{ count: number; minDurationUs: number }[]> {
    const labels = await this.heatmapCells().evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label') ?? ''));
    return labels.map((label) => {
      const match = /^([\d,]+) spans?, ([\d.]+) (µs|ms|s|min)–/.exec(label);
      if (match === null) throw new Error(`unexpected heatmap cell label: ${label}`);
      const [, count, amount, unit] = match as unknown as [string, string, string, keyof typeof US_PER_UNIT];
      return { count: Number(count.replace(/,/g, '')), minDurationUs: Number(amount) * US_PER_UNIT[unit] };
    });
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
