import { expect, type Locator, type Page } from '@playwright/test';
import { DashboardPage } from './dashboard-page.ts';

/** Columns of the models table after the model's own header cell (components/tables/llm-tables.tsx). */
const MODEL_COLUMNS = [
  'provider',
  'calls',
  'errors',
  'p50',
  'p95',
  'p99',
  'input',
  'output',
  'total',
  'cached',
  'outPerSecond',
  'cost',
  'carried',
] as const;
type ModelColumn = (typeof MODEL_COLUMNS)[number];

/** `/llm`: tiles, the models table, the charts, who spends and the model mismatches. */
export class LlmPage extends DashboardPage {
  constructor(page: Page) {
    super(page);
  }

  async open(search = '') {
    await this.page.goto(search === '' ? '/llm' : `/llm?${search}`);
  }

  tile(label: string): Locator {
    return this.page.locator('dl > div').filter({ has: this.page.locator('dt').getByText(label, { exact: true }) });
  }

  /** The answer is on screen once the tiles or the empty state are. */
  async waitForAnswer() {
    await expect(this.tile('LLM calls').or(this.page.getByText('No LLM calls in this window'))).toBeVisible({ timeout: 120_000 });
  }

  modelRow(model: string): Locator {
    return this.page
      .getByRole('table', { name: 'Models' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: model, exact: true }) });
  }

  async modelNames(): Promise<string[]> {
    return this.page.getByRole('table', { name: 'Models' }).locator('tbody th').allTextContents();
  }

  modelCell(model: string, column: ModelColumn): Locator {
    return this.modelRow(model).getByRole('cell').nth(MODEL_COLUMNS.indexOf(column));
  }

  /** The model's error count (the cell lists the error types under it). */
  modelErrors(model: string): Locator {
    return this.modelCell(model, 'errors').locator(':scope > span');
  }

  spenderRow(value: string): Locator {
    return this.page
      .getByRole('table', { name: 'Who spends' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: value, exact: true }) });
  }

  mismatchLinks(): Locator {
    return this.page.getByRole('table', { name: 'Model mismatches' }).getByRole('link');
  }

  async screenshotForReadme() {
    await this.page.screenshot({ path: 'public/screenshots/llm.png', fullPage: true });
  }
}
