// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CriticalPathTable, SlowFastTable } from './time-breakdown-table';

afterEach(cleanup);

const row = (service: string, totalCriticalUs: number) => ({ service, operation: 'op', traces: 3, spans: 4, totalCriticalUs, averageShare: 0.25 });

describe('time breakdown tables', () => {
  it('shows at most `limit` critical-path rows, human units with the exact µs in the title', () => {
    render(
      <CriticalPathTable
        criticalPath={{ traces: 3, tracesWithoutPath: 0, operations: [row('a', 1_500), row('b', 900), row('c', 10)], slowVsFast: null }}
        limit={2}
      />,
    );
    const rows = within(screen.getByRole('table', { name: 'Critical path by operation' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['a', 'op', '1.5 ms', '25%', '3', '4'],
      ['b', 'op', '900 µs', '25%', '3', '4'],
    ]);
    expect(rows[0]?.querySelectorAll('td')[2]?.getAttribute('title')).toBe('1500 µs');
  });

  it('signs the growth, shrinking included, and names the cohorts per row', () => {
    const split = {
      entryP50Us: 100,
      entryP90Us: 200,
      slowTraces: 2,
      fastTraces: 5,
      operations: [
        { service: 'db', operation: 'q', slowMeanUs: 3_000, fastMeanUs: 1_000, growthUs: 2_000, slowTraces: 2, fastTraces: 5 },
        { service: 'fe', operation: 'GET', slowMeanUs: 100, fastMeanUs: 1_300, growthUs: -1_200, slowTraces: 1, fastTraces: 4 },
      ],
    };
    render(<SlowFastTable split={split} limit={10} />);
    const cells = within(screen.getByRole('table', { name: 'Slow vs fast traces' }))
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(cells).toEqual([
      ['db', 'q', '+2 ms', '3 ms', '1 ms', '2 / 2', '5 / 5'],
      ['fe', 'GET', '−1.2 ms', '100 µs', '1.3 ms', '1 / 2', '4 / 5'],
    ]);
  });

  it('says why there is nothing to compare when a cohort is empty', () => {
    render(<SlowFastTable split={{ entryP50Us: 5, entryP90Us: 5, slowTraces: 0, fastTraces: 1, operations: [] }} limit={10} />);
    expect(screen.getByText(/Nothing to compare: 0 traces are above the entry p90 and 1 below its p50/)).toBeTruthy();
  });
});
