/** Display formatting for µs durations, rates and instants; one module so every view agrees. */

export function formatDurationUs(us: number): string {
  if (us < 1_000) return `${us} µs`;
  if (us < 1_000_000) return `${trim(us / 1_000)} ms`;
  if (us < 60_000_000) return `${trim(us / 1_000_000)} s`;
  return `${trim(us / 60_000_000)} min`;
}

function trim(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1).replace(/\.0$/, '');
  return value.toFixed(2).replace(/\.?0+$/, '');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0/s';
  if (perSecond >= 1) return `${trim(perSecond)}/s`;
  const perMinute = perSecond * 60;
  if (perMinute >= 1) return `${trim(perMinute)}/min`;
  return `${trim(perMinute * 60)}/h`;
}

export function formatPercent(ratio: number): string {
  if (ratio === 0) return '0%';
  const pct = ratio * 100;
  if (pct < 0.1) return '<0.1%';
  return `${pct >= 10 ? pct.toFixed(1) : pct.toFixed(2)}%`.replace(/\.?0+%$/, '%');
}

/** ISO-like local time, second precision, for tables and tooltips. */
export function formatInstantUs(us: number): string {
  const date = new Date(Math.floor(us / 1_000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

export function formatClockUs(us: number): string {
  const date = new Date(Math.floor(us / 1_000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * US dollars to four significant digits ($0.2009, $12.35, $0.0001200), whole cents from $100 up; the
 * exact amount belongs in the title. Token prices make most per-call and per-hour costs fractions of a cent.
 */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 100) return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${usd.toPrecision(4)}`;
}
