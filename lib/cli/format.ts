/** The three renderings of a Report: JSON (µs integers), an aligned table (ms/s) with short time sections, CSV (µs). */
import type { GroupByKey } from '../metrics/types.ts';
import type { Report, ReportGroup } from './report.ts';

export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** 850µs, 12.3ms, 1.25s, 2m05s: three significant figures, the unit a person reads at a glance. */
export function formatDurationUs(us: number): string {
  if (us < 1_000) return `${Math.round(us)}µs`;
  if (us < 1_000_000) return `${trim(us / 1_000)}ms`;
  if (us < 60_000_000) return `${trim(us / 1_000_000)}s`;
  const totalSeconds = Math.round(us / 1_000_000);
  return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(rate === 0 || rate === 1 ? 0 : 1)}%`;
}

function tagKeys(groupBy: readonly GroupByKey[]): string[] {
  return groupBy.filter((key) => key.startsWith('tag:')).map((key) => key.slice('tag:'.length));
}

function coverageLine(report: Report): string {
  const c = report.coverage;
  const seen = `${c.tracesFetched} traces, ${c.spansReceived} spans from ${c.api === 'file' ? 'the file' : `Jaeger (${c.api} API)`}`;
  const window = `${new Date(c.windowStartUs / 1_000).toISOString()} – ${new Date(c.windowEndUs / 1_000).toISOString()}`;
  let state: string;
  if (c.complete) state = 'complete';
  else if (c.partial) state = `partial: ${c.failedSubWindows.length} of ${c.subWindows} sub-windows failed (${c.failedSubWindows[0]?.reason ?? ''})`;
  else state = `sampled: ${c.subWindowsAtLimit} of ${c.subWindows} sub-windows hit their limit, so counts are a sample`;
  return `${state} — ${seen}, window ${window}`;
}

/** Columns padded to their widest cell, numbers (from column `firstNumeric` on) right-aligned. */
function aligned(header: readonly string[], rows: readonly (readonly string[])[], firstNumeric: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i >= firstNumeric ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [header, ...rows].map(line);
}

/** Rows shown per time section in the table; JSON has them all. */
const TIME_ROWS = 5;

function timeSections(report: Report): string {
  const sections: string[] = [];
  if (report.selfTime.length > 0) {
    const rows = report.selfTime.slice(0, TIME_ROWS).map((r) => [r.service, r.operation, String(r.spans), formatDurationUs(r.totalSelfUs)]);
    sections.push(`SELF TIME (top ${rows.length} of ${report.selfTime.length})`, ...aligned(['SERVICE', 'OPERATION', 'SPANS', 'TOTAL'], rows, 2), '');
  }
  if (report.criticalPath.length > 0) {
    const rows = report.criticalPath
      .slice(0, TIME_ROWS)
      .map((r) => [r.service, r.operation, String(r.traces), String(r.spans), formatDurationUs(r.totalCriticalUs)]);
    sections.push(
      `CRITICAL PATH (top ${rows.length} of ${report.criticalPath.length})`,
      ...aligned(['SERVICE', 'OPERATION', 'TRACES', 'SPANS', 'TOTAL'], rows, 2),
      '',
    );
  }
  return sections.map((line) => `${line}\n`).join('');
}

export function formatTable(report: Report, groupBy: readonly GroupByKey[]): string {
  const keys = tagKeys(groupBy);
  const header = ['SERVICE', 'OPERATION', ...keys.map((k) => k.toUpperCase()), 'COUNT', 'ERRORS', 'ERR%', 'P50', 'P90', 'P95', 'P99', 'MAX'];
  const rows = report.groups.map((g) => [
    g.service,
    g.operation ?? '*',
    ...keys.map((k) => g.tags[k] ?? ''),
    String(g.count),
    String(g.errorCount),
    percent(g.errorRate),
    formatDurationUs(g.p50),
    formatDurationUs(g.p90),
    formatDurationUs(g.p95),
    formatDurationUs(g.p99),
    formatDurationUs(g.max),
  ]);
  const [headerLine, ...bodyLines] = aligned(header, rows, 2 + keys.length);
  const body = bodyLines.length > 0 ? bodyLines.join('\n') : '(no spans matched)';
  return `${headerLine}\n${body}\n\n${timeSections(report)}${coverageLine(report)}\n`;
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(report: Report, groupBy: readonly GroupByKey[]): string {
  const keys = tagKeys(groupBy);
  const header = [
    'service',
    'operation',
    ...keys.map((k) => `tag:${k}`),
    'count',
    'errorCount',
    'errorRate',
    'p50_us',
    'p90_us',
    'p95_us',
    'p99_us',
    'max_us',
  ];
  const row = (g: ReportGroup) => [
    g.service,
    g.operation ?? '',
    ...keys.map((k) => g.tags[k] ?? ''),
    g.count,
    g.errorCount,
    g.errorRate,
    g.p50,
    g.p90,
    g.p95,
    g.p99,
    g.max,
  ];
  return [header, ...report.groups.map(row)].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}
