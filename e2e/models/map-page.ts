import { expect, type Page } from '@playwright/test';

export interface MapEdgeRow {
  readonly caller: string;
  readonly callee: string;
  readonly calls: number;
  readonly gapP50: string;
}

/** The service map (`/map`): the SVG drawing and the edges table under it. */
export class MapPage {
  constructor(readonly page: Page) {}

  async goto(params: string) {
    await this.page.goto(`/map?${params}`);
    await expect(this.edgesTable()).toBeVisible({ timeout: 90_000 });
  }

  edgesTable() {
    return this.page.getByRole('table', { name: 'Edges' });
  }

  drawing() {
    return this.page.getByRole('img', { name: /^Service map of \d+ nodes$/ });
  }

  /** A service box on the drawing (its aria-label is `Service NAME`). */
  serviceNode(service: string) {
    return this.page.locator(`svg a[aria-label="Service ${service}"]`);
  }

  peerNode(name: string) {
    return this.page.locator(`svg a[aria-label="Uninstrumented peer ${name}"]`);
  }

  /** An arrow on the drawing (aria-label `Calls PARENT → CHILD`). */
  edge(parent: string, child: string) {
    return this.page.locator(`svg a[aria-label="Calls ${parent} → ${child}"]`);
  }

  async edgeRows(): Promise<MapEdgeRow[]> {
    const rows = this.edgesTable().locator('tbody tr');
    const out: MapEdgeRow[] = [];
    for (const row of await rows.all()) {
      const cells = (await row.locator('td').allTextContents()).map((text) => text.trim());
      out.push({
        caller: cells[0] ?? '',
        callee: (cells[1] ?? '').replace(/\(peer\)$/, ''),
        calls: Number((cells[2] ?? '').replace(/,/g, '')),
        gapP50: cells[6] ?? '',
      });
    }
    return out;
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
  }
}
