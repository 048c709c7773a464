// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { AnchorHTMLAttributes } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeQueryClient } from '@/lib/api-client/query-client';
import type { BubbleUpAttribute, BubbleUpResponse } from '@/lib/http/bubbleup-types';
import { parseDashboardQuery } from '@/lib/query';
import { BubbleUpPanel } from './bubbleup-panel';

const replace = vi.fn();
vi.mock('next/navigation', () => ({ useRouter: () => ({ replace, push: vi.fn() }), usePathname: () => '/operation' }));
vi.mock('next/link', () => ({ default: ({ href, ...props }: AnchorHTMLAttributes<HTMLAnchorElement>) => <a href={href} {...props} /> }));

const row = (key: string, value: string, cohortCount: number, baselineCount: number, pValue: number, adjustedP: number): BubbleUpAttribute => ({
  key,
  value,
  cohortCount,
  cohortTotal: 40,
  baselineCount,
  baselineTotal: 360,
  cohortShare: cohortCount / 40,
  baselineShare: baselineCount / 360,
  pValue,
  adjustedP,
  significant: adjustedP <= 0.05,
});

const answer: BubbleUpResponse = {
  attributes: [
    row('region', 'ap-south', 40, 60, 7e-28, 1.2e-26),
    row('process.host', 'h1', 30, 200, 0.01, 0.2),
    row('plan', '(none)', 0, 320, 0.5, 1),
  ],
  cohortTotal: 40,
  baselineTotal: 360,
  comparisons: 3,
  cappedKeys: [{ key: 'shard', distinctValues: 30, valuesShown: 20 }],
  skippedKeys: [{ key: 'request.id', reason: 'more than 200 distinct values' }],
  keysOverLimit: false,
  source: { mode: 'live', label: 'http://jaeger' },
  query: 'service=shop&cohort=errors',
  cohort: { spec: 'errors', resolved: 'errors' },
  windowStartUs: 0,
  windowEndUs: 1,
  coverage: {
    api: 'legacy',
    tracesFetched: 400,
    spansReceived: 400,
    subWindows: 1,
    subWindowsAtLimit: 0,
    failedSubWindows: [],
    upstreamRequests: 1,
    complete: true,
    partial: false,
  },
  definitions: { cohort: 'cohort rule', test: 'test rule', correction: 'correction rule', caps: 'caps rule', errorRule: 'error rule' },
};

let requested: string[] = [];
beforeEach(() => {
  requested = [];
  replace.mockClear();
  vi.stubGlobal('fetch', async (input: string) => {
    requested.push(input);
    return Response.json(answer);
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderPanel(search: string, selection: Parameters<typeof BubbleUpPanel>[0]['selection'] = null) {
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <BubbleUpPanel query={parseDashboardQuery(search)} selection={selection} />
    </QueryClientProvider>,
  );
}

describe('BubbleUpPanel', () => {
  it('states the test and the correction, and writes a chosen cohort into the URL', () => {
    renderPanel('service=shop&operation=checkout');
    expect(screen.getByText(/two-sided Fisher exact test per value, Holm–Bonferroni correction/)).toBeTruthy();
    expect(screen.getByText('Choose a cohort to see which tag values set it apart.')).toBeTruthy();
    expect(requested).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Slower than p90' }));
    expect(replace).toHaveBeenLastCalledWith('/operation?service=shop&operation=checkout&cohort=slowerThan%3Ap90', { scroll: false });
    expect((screen.getByRole('button', { name: 'Heatmap selection' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('turns a heatmap selection into its duration and time ranges', () => {
    const startUs = Date.UTC(2026, 10, 23, 9, 0) * 1_000;
    renderPanel('service=shop', { startUs, endUs: startUs + 60_000_000, minDurationUs: 100_000, maxDurationUs: 251_189, count: 7 });
    fireEvent.click(screen.getByRole('button', { name: 'Heatmap selection' }));
    const cohort = 'duration:100ms..251.189ms;time:2026-11-23T09:00:00.000Z..2026-11-23T09:01:00.000Z';
    expect(replace).toHaveBeenLastCalledWith(`/operation?service=shop&cohort=${encodeURIComponent(cohort)}`, { scroll: false });
  });

  it('says what is wrong with a typed spec and does not send it', () => {
    renderPanel('service=shop');
    fireEvent.change(screen.getByLabelText('Cohort spec'), { target: { value: 'minDuration:soon' } });
    expect(screen.getByRole('alert').textContent).toBe('cohort "minDuration:soon" needs a duration such as minDuration:250ms');
    fireEvent.click(screen.getByRole('button', { name: 'Compare' }));
    expect(replace).not.toHaveBeenCalled();
  });

  it('lists the answer in its order with shares, p-values and marks; a value links to the view filtered to it, cohort kept', async () => {
    renderPanel('service=shop&groupBy=tag:plan&cohort=errors');
    const table = await screen.findByRole('table', { name: 'BubbleUp attributes' });
    // groupBy is the breakdown's, not BubbleUp's: it is not sent.
    expect(requested).toEqual(['/api/bubbleup?service=shop&cohort=errors']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('td')?.textContent)).toEqual(['region = ap-south', 'process.host = h1', 'plan = (none)']);
    expect(within(rows[0] as HTMLElement).getByText('significant')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByText('100%')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByText('7.0e-28')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).queryByText('significant')).toBeNull();
    expect(
      within(rows[0] as HTMLElement)
        .getByRole('link', { name: 'ap-south' })
        .getAttribute('href'),
    ).toBe('/operation?service=shop&tags=region%3Dap-south&groupBy=tag%3Aplan&cohort=errors');
    // A process tag is filtered by its bare key, as Jaeger's search matches it; "(none)" cannot be asked for.
    expect(
      within(rows[1] as HTMLElement)
        .getByRole('link', { name: 'h1' })
        .getAttribute('href'),
    ).toContain('tags=host%3Dh1');
    expect(within(rows[2] as HTMLElement).queryByRole('link')).toBeNull();
    expect(screen.getByText('shard: the 20 values with the largest share are tested, of 30.')).toBeTruthy();
    expect(screen.getByText('request.id skipped: more than 200 distinct values.')).toBeTruthy();

    // By difference in share: (none) |0 − 0.89|, ap-south |1 − 0.17|, h1 |0.75 − 0.56|.
    fireEvent.change(screen.getByLabelText('Order'), { target: { value: 'difference' } });
    const reordered = within(table).getAllByRole('row').slice(1);
    expect(reordered.map((r) => r.querySelector('td')?.textContent)).toEqual(['plan = (none)', 'region = ap-south', 'process.host = h1']);
  });
});
