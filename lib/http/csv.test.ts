import { describe, expect, it } from 'vitest';
import { csvCell, toCsv, type CsvColumn } from './csv.ts';

describe('csvCell: CSV injection (OWASP)', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+1+cmd|" /C calc"!A0', `"'+1+cmd|"" /C calc""!A0"`],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    // Text that looks like a number is still text from a span: prefixed.
    ['-5', "'-5"],
  ])('prefixes %j with a quote', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['GET /api/=x', 'GET /api/=x'],
    [' =1', ' =1'],
    ['a-b', 'a-b'],
    ['user@example.com', 'user@example.com'],
    ['', ''],
  ])('leaves %j alone: the dangerous character is not first', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers as numbers, negative ones too (a gap of -1200 µs is no formula)', () => {
    expect(csvCell(-1200)).toBe('-1200');
    expect(csvCell(0.125)).toBe('0.125');
    expect(csvCell(1 / 3)).toBe('0.3333333333333333');
    expect(csvCell(1795429533285182)).toBe('1795429533285182');
  });

  it('writes a non-finite number and null as an empty cell, flags as true/false', () => {
    expect([csvCell(Number.NaN), csvCell(Number.POSITIVE_INFINITY), csvCell(null), csvCell(true), csvCell(false)]).toEqual([
      '',
      '',
      '',
      'true',
      'false',
    ]);
  });
});

describe('csvCell: RFC 4180 quoting', () => {
  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['plain', 'plain'],
  ])('%j → %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('keeps unicode as it is (UTF-8 on the wire)', () => {
    expect(csvCell('数据库 · café — 🚀')).toBe('数据库 · café — 🚀');
    expect(csvCell('ünïcode, "quoted"')).toBe('"ünïcode, ""quoted"""');
  });
});

describe('toCsv', () => {
  const columns: CsvColumn<{ name: string; count: number; gap: number | null }>[] = [
    { header: 'name', value: (row) => row.name },
    { header: 'count', value: (row) => row.count },
    { header: 'gap', value: (row) => row.gap },
  ];

  it('writes a header record, then one CRLF-ended record per row', () => {
    const csv = toCsv(columns, [
      { name: 'GET /a', count: 3, gap: -12 },
      { name: '=cmd, "x"', count: 0, gap: null },
    ]);
    expect(csv).toBe('name,count,gap\r\nGET /a,3,-12\r\n"\'=cmd, ""x""",0,\r\n');
  });

  it('writes only the header for no rows', () => {
    expect(toCsv(columns, [])).toBe('name,count,gap\r\n');
  });
});
