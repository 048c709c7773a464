// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeQueryClient } from '@/lib/api-client/query-client';
import type { SpmResponse } from '@/lib/http/api-types';
import { parseDashboardQuery } from '@/lib/query';
import { aGroup } from '@/lib/testing/group-builder';
import { SpmPanel } from './spm-panel';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function answer(status: number, body: unknown) {
  const requested: string[] = [];
  vi.stubGlobal('fetch', async (input: string) => {
    requested.push(input);
    return Response.json(body, { status });
  });
  return requested;
}

const client = { current: makeQueryClient() };
const groups = [aGroup({ operation: 'GET /cart', count: 600, errorCount: 6, p95Us: 80_000 })].map((group) => ({ ...group, jaegerUrl: null }));

function renderPanel(search: string) {
  client.current = makeQueryClient();
  return render(
    <QueryClientProvider client={client.current}>
      <SpmPanel query={parseDashboardQuery(search)} groups={groups} />
    </QueryClientProvider>,
  );
}

/** Until /api/spm's answer is in: a panel that stays empty must be empty for the answer, not before it. */
const answered = (params: string) => vi.waitFor(() => expect(client.current.getQueryState(['spm', params])?.status).toBe('success'));

const available: SpmResponse = {
  available: true,
  service: 'shop',
  windowEndUs: 1,
  ratePer: { ms: 600_000, label: '10m' },
  rows: [{ service: 'shop', operation: 'GET /cart', ratePerSecond: 1.05, errorRate: 0.01, p50Us: 9_000, p95Us: 120_000 }],
  definition: 'SPM: bucket estimates over a trailing rate() window of 10m.',
};

describe('SpmPanel', () => {
  it('asks /api/spm for the page’s service and window, and shows exact beside SPM with the definition', async () => {
    const requested = answer(200, available);
    renderPanel('service=shop&lookback=10m');
    const table = await screen.findByRole('table', { name: 'Exact numbers beside SPM' });
    expect(requested).toEqual(['/api/spm?service=shop&lookback=10m']);
    expect(screen.getByText(/trailing rate\(\) window of 10m/)).toBeTruthy();
    const cells = within(within(table).getByRole('row', { name: /GET \/cart/ })).getAllByRole('cell');
    // p95 80 ms exact vs 120 ms SPM: +50 %, highlighted
    expect(cells[6]?.textContent).toBe('80 ms');
    expect(cells[7]?.textContent).toBe('120 ms(+50%)');
  });

  it('shows nothing when Jaeger has no metrics backend', async () => {
    answer(200, { available: false, reason: 'Jaeger has no metrics backend.' });
    const { container } = renderPanel('service=shop');
    await answered('service=shop');
    expect(container.textContent).toBe('');
  });

  it('shows the error when the backend behind Jaeger fails, instead of hiding it', async () => {
    answer(502, { error: { code: 'jaeger_http_error', message: 'Jaeger answered 500 for http://jaeger/api/metrics/calls: connection refused' } });
    renderPanel('service=shop');
    expect((await screen.findByRole('alert', {}, { timeout: 5_000 })).textContent).toContain('Jaeger answered 500');
  });

  it('stays out of a view grouped by a tag (SPM has no tag series)', async () => {
    answer(200, available);
    const { container } = renderPanel('service=shop&groupBy=tag:region');
    await answered('service=shop');
    expect(container.textContent).toBe('');
  });
});
