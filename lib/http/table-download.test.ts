import { describe, expect, it } from 'vitest';
import { defineDownload, downloadFileName, downloadTable } from './table-download.ts';

/** 2026-12-02T09:30:00Z and one hour later, in µs. */
const window = { startUs: Date.UTC(2026, 11, 2, 9, 30) * 1_000, endUs: Date.UTC(2026, 11, 2, 10, 30) * 1_000 };

describe('downloadFileName', () => {
  it('names the view and the window in UTC, with only file-safe characters', () => {
    expect(downloadFileName(['metrics', 'checkout/api v2:"x"', null, ''], window, 'csv')).toBe(
      'spanlens-metrics-checkout_api_v2_x_-20261202T093000Z-20261202T103000Z.csv',
    );
  });

  it('keeps at most 60 characters of a name from spans', () => {
    expect(downloadFileName(['y'.repeat(500)], window, 'json')).toBe(`spanlens-${'y'.repeat(60)}-20261202T093000Z-20261202T103000Z.json`);
  });
});

describe('defineDownload', () => {
  const download = defineDownload({
    view: (data: { name: string }) => ['test', data.name],
    window: () => window,
    tableNames: ['first', 'second'],
    tables: {
      first: downloadTable((data: { name: string }) => [data], [{ header: 'name', value: (row) => row.name }]),
      second: downloadTable(() => [1, 2], [{ header: 'n', value: (n: number) => n }]),
    },
  });

  it('defaults table to the first, and format to the plain JSON answer', async () => {
    expect(download.parse('')).toEqual({ format: undefined, table: 'first' });
    const plain = download.respond(download.parse(''), { name: 'a' });
    expect(plain.headers.get('content-disposition')).toBeNull();
    expect(await plain.json()).toEqual({ name: 'a' });
  });

  it('answers the chosen table as a CSV attachment', async () => {
    const response = download.respond(download.parse('format=csv&table=second'), { name: '@home' });
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="spanlens-test-_home-second-20261202T093000Z-20261202T103000Z.csv"',
    );
    expect(await response.text()).toBe('n\r\n1\r\n2\r\n');
    expect(await download.respond(download.parse('format=csv'), { name: '@home' }).text()).toBe("name\r\n'@home\r\n");
  });
});
