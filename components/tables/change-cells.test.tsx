// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { compareWindows, quantileBounds, type WindowSample } from '@/lib/metrics/compare';
import { nearestRank } from '@/lib/metrics/percentiles';
import { aGroup } from '@/lib/testing/group-builder';
import { testIds } from '@/lib/test-ids';
import { OperationsTable, sortRows, type OperationRow } from './operations-table';

afterEach(cleanup);

const HOUR = { currentUs: 3_600_000_000, baselineUs: 3_600_000_000 };
/** 200 spans of 1..200 µs shifted by `plusUs`, `errors` of them errors. */
function window(plusUs: number, errors = 0): WindowSample {
  const sorted = Float64Array.from({ length: 200 }, (_, i) => i + 1 + plusUs);
  return {
    count: 200,
    errorCount: errors,
    p50Us: nearestRank(sorted, 0.5),
    p95Us: nearestRank(sorted, 0.95),
    p99Us: nearestRank(sorted, 0.99),
    bounds: quantileBounds(sorted),
  };
}
/** A row whose own numbers are those of `window(plusUs)` (p50 = 100 + plus, p95 = 190 + plus, p99 = 198 + plus). */
const row = (operation: string, comparison: OperationRow['comparison'], plusUs = 0): OperationRow => ({
  group: aGroup({ operation, count: 200, p50Us: 100 + plusUs, p95Us: 190 + plusUs, p99Us: 198 + plusUs }),
  label: operation,
  href: `/operation?operation=${operation}`,
  comparison,
});

// A slower p95 (+100 µs on every span), an unchanged one, a faster one, a new one, and one with no comparison.
const rows = [
  row('slower', compareWindows(window(100), window(0), HOUR), 100),
  row('same', compareWindows(window(0), window(0), HOUR)),
  row('faster', compareWindows(window(0), window(100), HOUR)),
  row('fresh', compareWindows(window(0), null, HOUR)),
  row('unknown', null),
];

describe('the Δ columns of a compared table', () => {
  it('are absent without a baseline', () => {
    render(
      <OperationsTable
        rows={rows}
        sortKey="count"
        sortDirection="desc"
        onSort={() => {}}
        estimated={false}
        nameHeader="Operation"
        onOpen={() => {}}
      />,
    );
    expect(screen.queryByRole('button', { name: 'Change' })).toBeNull();
    expect(screen.queryAllByTestId(testIds.changeVerdict)).toHaveLength(0);
  });

  it('show the verdict, red or green only where the interval excludes zero, with the interval in the title', () => {
    render(
      <OperationsTable
        rows={rows}
        sortKey="regression"
        sortDirection="desc"
        onSort={() => {}}
        estimated={false}
        nameHeader="Operation"
        onOpen={() => {}}
        compared
      />,
    );
    const verdicts = screen.getAllByTestId(testIds.changeVerdict).map((cell) => cell.getAttribute('data-verdict'));
    // Most significant regression first. The faster and the unchanged row both score the lower bound of
    // Δerror rate with no error in either window (−0.0188, above their latency bounds) and tie, by name; no score last.
    expect(screen.getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual(['slower', 'faster', 'same', 'fresh', 'unknown']);
    expect(verdicts).toEqual(['regression', 'improvement', 'none', 'new']);
    const slower = screen.getAllByTestId(testIds.operationRow)[0]!;
    const p95 = within(slower)
      .getAllByTestId(testIds.changeDelta)
      .find((cell) => cell.getAttribute('data-metric') === 'p95')!;
    expect(p95.textContent).toBe('▲ +100 µs');
    // At n = 200 the √0.95 ranks for p95 are 183 and 197: [283 − 197, 297 − 183] = [86, 114] µs.
    expect(p95.getAttribute('title')).toBe(
      'Δp95 = +100 µs (now 290 µs, baseline 190 µs); 95% interval for the difference +86 µs to +114 µs (excludes 0: regression)',
    );
    expect(p95.className).toContain('text-red-700');
    expect(within(slower).getByText('Regression').getAttribute('title')).toBe('Significant: p50, p95');
  });

  it('sorts by the regression score, rows without one last (first ascending)', () => {
    expect(sortRows(rows, 'regression', 'desc').map((r) => r.label)).toEqual(['slower', 'faster', 'same', 'fresh', 'unknown']);
    expect(sortRows(rows, 'regression', 'asc').map((r) => r.label)).toEqual(['fresh', 'unknown', 'faster', 'same', 'slower']);
  });
});
