import type { Change, RowComparison } from '../metrics/compare.ts';
import type { CsvColumn } from './csv.ts';

/**
 * The Δ columns a compared table downloads (`format=csv` with a baseline): the baseline's numbers, each
 * difference with its 95% interval and flag, and the regression score, as the JSON `comparison` holds
 * them (an empty cell where the JSON has null). Rows without a comparison get empty cells.
 */
export function comparisonColumns<Row>(of: (row: Row) => RowComparison | null | undefined): CsvColumn<Row>[] {
  const change = (name: string, pick: (comparison: RowComparison) => Change | null): CsvColumn<Row>[] => {
    const changeOf = (row: Row): Change | null => {
      const comparison = of(row);
      return comparison ? pick(comparison) : null;
    };
    return [
      { header: `${name}Delta`, value: (row) => changeOf(row)?.delta ?? null },
      { header: `${name}DeltaLower`, value: (row) => changeOf(row)?.interval?.lower ?? null },
      { header: `${name}DeltaUpper`, value: (row) => changeOf(row)?.interval?.upper ?? null },
      { header: `${name}Flag`, value: (row) => changeOf(row)?.flag ?? null },
    ];
  };
  return [
    { header: 'presence', value: (row) => of(row)?.presence ?? null },
    { header: 'baselineCount', value: (row) => of(row)?.baseline.count ?? null },
    { header: 'baselineErrorRate', value: (row) => of(row)?.baseline.errorRate ?? null },
    { header: 'baselineP50Us', value: (row) => of(row)?.baseline.p50Us ?? null },
    { header: 'baselineP95Us', value: (row) => of(row)?.baseline.p95Us ?? null },
    { header: 'baselineP99Us', value: (row) => of(row)?.baseline.p99Us ?? null },
    { header: 'countDelta', value: (row) => of(row)?.count.delta ?? null },
    { header: 'rateRatio', value: (row) => of(row)?.count.rateRatio ?? null },
    { header: 'rateRatioLower', value: (row) => of(row)?.count.interval.lower ?? null },
    { header: 'rateRatioUpper', value: (row) => of(row)?.count.interval.upper ?? null },
    { header: 'countFlag', value: (row) => of(row)?.count.flag ?? null },
    ...change('errorRate', (comparison) => comparison.errorRate),
    ...change('p50', (comparison) => comparison.p50),
    ...change('p95', (comparison) => comparison.p95),
    ...change('p99', (comparison) => comparison.p99),
    { header: 'regressionScore', value: (row) => of(row)?.regressionScore ?? null },
  ];
}
