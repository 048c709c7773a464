/**
 * `2026-12-02 09:30:05 UTC`: a frozen page states its times in UTC, the same for everyone who opens
 * the link, and the server's render equals the browser's (no time zone in between).
 */
export function formatUtc(us: number): string {
  return `${new Date(Math.floor(us / 1_000)).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
