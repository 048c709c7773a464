import { expect, type Download, type Page } from '@playwright/test';
import { OverviewPage } from './overview-page.ts';

/** "Share snapshot" on any dashboard page: the frozen link it answers with. */
export async function shareSnapshot(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share snapshot' }).click();
  const field = page.getByLabel('Frozen link to these numbers');
  await expect(field).toHaveValue(/\/s\/[A-Za-z0-9_-]+$/, { timeout: 60_000 });
  return field.inputValue();
}

/** Clicks a table's "Download … as CSV|JSON" link and waits for the browser's download. */
export async function downloadTable(page: Page, label: string, format: 'CSV' | 'JSON'): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Download ${label} as ${format}` }).click()]);
  return download;
}

/** `/s/{id}` of a service's overview: the frozen operations table, read like the live one. */
export class SnapshotPage extends OverviewPage {
  constructor(page: Page) {
    super(page);
  }

  banner() {
    return this.page.getByRole('region', { name: 'Frozen snapshot' });
  }

  liveLink() {
    return this.banner().getByRole('link', { name: 'Open the live view' });
  }

  async screenshotForReadme() {
    await this.page.screenshot({ path: 'public/screenshots/snapshot.png', fullPage: true });
  }
}
