import { describe, expect, it } from 'vitest';
import { nextSortDirection } from './sortable-header';

describe('nextSortDirection', () => {
  it('flips the active column from descending to ascending and back', () => {
    expect(nextSortDirection('p95', 'desc', 'p95')).toBe('asc');
    expect(nextSortDirection('p95', 'asc', 'p95')).toBe('desc');
  });

  it('sorts another column descending first, whatever the active order', () => {
    expect(nextSortDirection('p95', 'desc', 'count')).toBe('desc');
    expect(nextSortDirection('p95', 'asc', 'count')).toBe('desc');
  });
});
