import { resolveWindow, type QueryWindow } from '@/lib/query';

/** `datetime-local` speaks local wall-clock time without a zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The concrete range (ms) a window means right now, to seed a picker's range inputs. */
export function windowRangeMsNow(window: QueryWindow): { startMs: number; endMs: number } {
  const resolved = resolveWindow({ window }, Date.now());
  return { startMs: Math.floor(resolved.startUs / 1_000), endMs: Math.floor(resolved.endUs / 1_000) };
}
