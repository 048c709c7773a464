import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { hex, type OtlpTestSpan } from '../lib/testing/post-otlp.ts';
import { SEED_SERVICES } from '../lib/testing/seed/workload.ts';
import { testIds } from '../lib/test-ids.ts';
import { MapPage } from './models/map-page.ts';
import { OverviewPage } from './models/overview-page.ts';
import { ServicesHomePage } from './models/services-home-page.ts';
import { downloadTable, shareSnapshot, SnapshotPage } from './models/snapshot-page.ts';
import { OUTAGE_APP_URL } from './support/apps.ts';
import { outageJaegerUrl, startOutageJaeger, stopOutageJaeger } from './support/outage-jaeger.ts';
import { onOutageJaegerWith } from './support/outage-story.ts';
import { seededRun } from './support/seed.ts';

/** RFC 4180 records (quoted fields, doubled quotes, CRLF), as a spreadsheet reads them: header → cell. */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i += 1;
    } else cell += char;
  }
  expect(cell).toBe(''); // every record ends with CRLF
  const [header = [], ...rows] = records;
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

const CSV_FILE = /^spanlens-metrics-[A-Za-z0-9._-]+-groups-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/;

test.describe('Downloads: a table as CSV', () => {
  test('the operations CSV a browser downloads equals the JSON numbers of the same API, and the seeded counts', async ({ page }) => {
    const run = seededRun();
    const service = 'actor-server';
    const overview = new OverviewPage(page);
    await overview.open(`service=${service}&${run.windowParams}`);
    await overview.waitForRows();

    const download = await downloadTable(page, 'operations', 'CSV');
    expect(download.suggestedFilename()).toMatch(CSV_FILE);
    const rows = parseCsv(await readFile((await download.path()) as string, 'utf8'));

    // The same API and query the link named, without format: the JSON the page itself reads.
    const href = (await page.getByRole('link', { name: 'Download operations as CSV' }).getAttribute('href')) as string;
    const url = new URL(href, 'http://spanlens.invalid');
    url.searchParams.delete('format');
    url.searchParams.delete('table');
    const json = (await (await page.request.get(`${url.pathname}${url.search}`)).json()) as {
      groups: {
        operation: string;
        count: number;
        errorCount: number;
        errorRate: number;
        ratePerSecond: number;
        durations: Record<string, { valueUs: number }>;
      }[];
    };
    const numbers = (pick: (row: Record<string, string>) => string[]) => rows.map((row) => pick(row).map(Number));
    expect(rows.map((row) => row['operation'])).toEqual(json.groups.map((group) => group.operation));
    expect(numbers((row) => [row['count'], row['errorCount'], row['errorRate'], row['ratePerSecond']] as string[])).toEqual(
      json.groups.map((group) => [group.count, group.errorCount, group.errorRate, group.ratePerSecond]),
    );
    expect(numbers((row) => [row['p50Us'], row['p95Us'], row['p99Us']] as string[])).toEqual(
      json.groups.map((group) => [group.durations['p50']?.valueUs, group.durations['p95']?.valueUs, group.durations['p99']?.valueUs]),
    );

    // And both are the workload's own numbers (lib/testing/seed/workload.ts).
    const seeded = run.summary.operations.filter((op) => op.service === service).sort((a, b) => a.operation.localeCompare(b.operation));
    expect(
      rows
        .map((row) => [row['operation'], Number(row['count']), Number(row['errorCount']), Number(row['p50Us']), Number(row['p95Us'])])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual(seeded.map((op) => [op.operation, op.count, op.errorCount, op.p50Us, op.p95Us]));
  });
});

test.describe('Share: the services home and the map', () => {
  test('the services CSV holds the seeded counts, and a snapshot of the home or the map shows the tables the live page showed', async ({ page }) => {
    test.setTimeout(240_000);
    const run = seededRun();
    const home = new ServicesHomePage(page);
    await home.open(run.windowParams);
    await home.waitForAllRows();
    const liveCounts = await home.counts();

    const services = parseCsv(await readFile((await (await downloadTable(page, 'services', 'CSV')).path()) as string, 'utf8'));
    for (const service of SEED_SERVICES) {
      const expected = run.summary.perService[service];
      expect(
        services.find((row) => row['service'] === service),
        service,
      ).toMatchObject({ count: String(expected.spans), errorCount: String(expected.errors) });
    }

    const frozenHome = await shareSnapshot(page);
    await page.goto(frozenHome);
    await expect(new SnapshotPage(page).banner()).toContainText('Frozen snapshot — computed');
    await expect(page.getByRole('heading', { name: 'Frozen snapshot: Services' })).toBeVisible();
    expect(await home.counts()).toEqual(liveCounts);

    const map = new MapPage(page);
    await map.goto(run.windowParams);
    const liveEdges = await map.edgeRows();
    expect(liveEdges.length).toBeGreaterThan(0);
    const edges = parseCsv(await readFile((await (await downloadTable(page, 'edges', 'CSV')).path()) as string, 'utf8'));
    expect(edges.map((row) => ({ caller: row['parent'], callee: row['child'], calls: Number(row['calls']) }))).toEqual(
      liveEdges.map((edge) => ({ caller: edge.caller, callee: edge.callee, calls: edge.calls })),
    );
    const frozenMap = await shareSnapshot(page);
    await page.goto(frozenMap);
    await expect(page.getByRole('heading', { name: 'Frozen snapshot: Service map' })).toBeVisible();
    expect(await map.edgeRows()).toEqual(liveEdges);
  });
});

const SERVICE = 'share-checkout';
const FORMULA = '=HYPERLINK("http://evil.example","x")';

/** Seven real OTLP spans a minute ago: POST /checkout 1–5 ms (the first an error), and an operation named like a formula. */
function checkoutSpans(nowUs: number): OtlpTestSpan[] {
  const span = (i: number, name: string, durationUs: number, error: boolean): OtlpTestSpan => ({
    traceId: hex(0x5ba7e000 + i, 32),
    spanId: hex(0x5ba7e000 + i, 16),
    service: SERVICE,
    name,
    kind: 2,
    startUs: nowUs - 60_000_000 + i * 1_000_000,
    durationUs,
    error,
  });
  return [
    ...Array.from({ length: 5 }, (_, i) => span(i, 'POST /checkout', 1_000 * (i + 1), i === 0)),
    span(5, FORMULA, 10_000, false),
    span(6, FORMULA, 20_000, false),
  ];
}

test.describe('Frozen result links', () => {
  // The outage story's own Jaeger and app (no server cache): this story restarts that Jaeger empty.
  onOutageJaegerWith(SERVICE, checkoutSpans);

  test('a snapshot still shows its numbers after the Jaeger it came from was restarted empty', async ({ page }) => {
    test.setTimeout(240_000);
    const overview = new OverviewPage(page);
    await overview.open(`service=${SERVICE}&lookback=15m`);
    await overview.waitForRows();
    const live = new Map([
      ['POST /checkout', { count: 5, errors: 1 }],
      [FORMULA, { count: 2, errors: 0 }],
    ]);
    expect(await overview.table()).toEqual(live);

    // The operation named like a formula reaches the CSV as text a spreadsheet will not run.
    const csv = await readFile((await (await downloadTable(page, 'operations', 'CSV')).path()) as string, 'utf8');
    expect(csv).toContain(`\r\n${SERVICE},"'=HYPERLINK(""http://evil.example"",""x"")",2,0,`);
    expect(parseCsv(csv).find((row) => row['operation'] === 'POST /checkout')).toMatchObject({
      count: '5',
      errorCount: '1',
      p50Us: '3000',
      p95Us: '5000',
    });

    const frozen = await shareSnapshot(page);
    expect(new URL(frozen).origin).toBe(OUTAGE_APP_URL);
    const id = new URL(frozen).pathname.slice('/s/'.length);

    await stopOutageJaeger();
    await startOutageJaeger();
    // Jaeger has forgotten every span: the live query answers nothing now.
    const { query } = (await (await page.request.get(`/api/snapshots/${id}`)).json()) as { query: string };
    const after = await page.request.get(`/api/metrics?${query}&include=groups`);
    expect(after.status()).toBe(200);
    expect(((await after.json()) as { groups: unknown[] }).groups).toEqual([]);

    const snapshot = new SnapshotPage(page);
    await page.goto(frozen);
    await expect(snapshot.banner()).toContainText('Frozen snapshot — computed');
    await expect(snapshot.banner()).toContainText(`from ${outageJaegerUrl}`);
    await expect(snapshot.banner()).toContainText('complete');
    await snapshot.waitForRows();
    expect(await snapshot.table()).toEqual(live);
    await snapshot.assertNoErrorState();
    const stored = (await (await page.request.get(`/api/snapshots/${id}`)).json()) as {
      result: { kind: string; data: { groups: { operation: string; durations: { p95: { valueUs: number } } }[] } };
    };
    expect(stored.result.kind).toBe('metrics');
    expect(stored.result.data.groups.find((group) => group.operation === 'POST /checkout')?.durations.p95.valueUs).toBe(5_000);
    await snapshot.screenshotForReadme();

    // The live link: the same query, read from the (now empty) Jaeger.
    await snapshot.liveLink().click();
    await expect(page).toHaveURL(new RegExp(`/\\?service=${SERVICE}&start=`));
    await expect(page.getByTestId(testIds.emptyState)).toBeVisible({ timeout: 60_000 });

    // Deleted from the snapshot's own page: gone from the API, and the page goes back to the live view.
    await page.goto(frozen);
    await page
      .getByRole('button', { name: /^Delete snapshot Overview · share-checkout/ })
      .first()
      .click();
    await expect(page).not.toHaveURL(/\/s\//);
    expect((await page.request.get(`/api/snapshots/${id}`)).status()).toBe(404);
  });
});
