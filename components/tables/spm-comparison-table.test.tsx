// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SpmComparisonTable } from './spm-comparison-table';

afterEach(cleanup);

const exact = [{ name: 'GET /items/{id}', numbers: { ratePerSecond: 2, errorRate: 0.1, p50Us: 1_000, p95Us: 4_000 } }];

describe('SpmComparisonTable', () => {
  it('shows exact beside SPM per column and highlights a pair more than 10 % apart with SPM’s difference', () => {
    render(
      <SpmComparisonTable
        exact={exact}
        spm={[
          // folded on the page: 1.5 + 0.7 = 2.2/s (+10 %, not highlighted); error rate (1.5·0 + 0.7·0.5) / 2.2 ≈ 15.9 % (+59 %)
          { service: 's', operation: 'GET /items/1', ratePerSecond: 1.5, errorRate: 0, p50Us: 1_900, p95Us: 4_100 },
          { service: 's', operation: 'GET /items/2', ratePerSecond: 0.7, errorRate: 0.5, p50Us: 1_900, p95Us: 4_100 },
        ]}
        level="operation"
        fold
      />,
    );
    const row = screen.getByRole('row', { name: /GET \/items\/\{id\}/ });
    const cells = within(row).getAllByRole('cell');
    expect(cells.map((cell) => cell.textContent)).toEqual(['2/s', '2.2/s', '10%', '15.9%(+59%)', '1 ms', '—', '4 ms', '—']);
    expect(cells.map((cell) => cell.getAttribute('data-disagrees'))).toEqual([null, 'false', null, 'true', null, 'false', null, 'false']);
  });

  it('lists a name only SPM has, with no exact numbers', () => {
    render(
      <SpmComparisonTable
        exact={[]}
        spm={[{ service: 'cart', operation: null, ratePerSecond: 1, errorRate: 0, p50Us: null, p95Us: null }]}
        level="service"
        fold={false}
      />,
    );
    const cells = within(screen.getByRole('row', { name: /cart/ })).getAllByRole('cell');
    expect(cells.map((cell) => cell.textContent)).toEqual(['—', '1/s', '—', '0%', '—', '—', '—', '—']);
  });
});
