// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { aPercentile } from '@/lib/testing/group-builder';
import { PercentileCell } from './percentile-cell';

afterEach(cleanup);

function renderCell(props: Parameters<typeof PercentileCell>[0]) {
  render(
    <table>
      <tbody>
        <tr>
          <PercentileCell {...props} />
        </tr>
      </tbody>
    </table>,
  );
  return screen.getByRole('cell');
}

describe('PercentileCell', () => {
  it('shows the value plainly, with n and the 95% interval in its title, when the interval exists', () => {
    const cell = renderCell({ name: 'p95', value: aPercentile(2_500, { lowerUs: 1_800, upperUs: 3_100 }), n: 1_200 });
    expect(cell.textContent).toBe('2.5 ms');
    expect(cell.getAttribute('title')).toBe('p95 = 2.5 ms (n = 1,200); 95% interval 1.8 ms–3.1 ms');
    expect(cell.getAttribute('data-reliable')).toBe('true');
    expect(cell.className).not.toContain('italic');
  });

  it('dims a percentile whose interval is null and says why, to the eye and to a screen reader', () => {
    renderCell({ name: 'p99', value: aPercentile(48_000, null), n: 12 });
    const cell = screen.getByRole('cell', { name: '48 ms (too few spans for an interval)' });
    expect(cell.getAttribute('title')).toBe(
      'p99 = 48 ms from only n = 12 spans: too few for a 95% interval (the order statistics around it do not exist yet), so treat it as rough',
    );
    expect(cell.getAttribute('data-reliable')).toBe('false');
    expect(cell.className.split(' ')).toEqual(expect.arrayContaining(['text-slate-400', 'italic']));
  });

  it('shows a dash and no title when there are no spans at all', () => {
    const cell = renderCell({ name: 'p50', value: aPercentile(0, null), n: 0 });
    expect(cell.textContent).toBe('—');
    expect(cell.hasAttribute('title')).toBe(false);
  });
});
