/**
 * The one place status colours live: every badge, chart series and table cell that means
 * "error", "ok", "sampled" or "partial" takes its classes or hex from here, so light and dark stay in step.
 */
export const statusClasses = {
  ok: 'bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/30',
  error: 'bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/30',
  sampled: 'bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30',
  partial: 'bg-orange-50 text-orange-900 ring-orange-600/40 dark:bg-orange-950 dark:text-orange-200 dark:ring-orange-400/40',
  info: 'bg-sky-50 text-sky-900 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/30',
} as const;

export type Status = keyof typeof statusClasses;

/** Chart series colours (recharts needs values, not classes); readable on both backgrounds. */
export const seriesColors = {
  count: '#0ea5e9',
  error: '#ef4444',
  p50: '#10b981',
  p95: '#f59e0b',
  p99: '#8b5cf6',
} as const;

/** Text colour of an error rate in a table cell. */
export function errorRateClass(errorRate: number): string {
  if (errorRate === 0) return 'text-slate-500 dark:text-slate-400';
  if (errorRate < 0.05) return 'text-amber-700 dark:text-amber-300';
  return 'text-red-700 font-semibold dark:text-red-300';
}
