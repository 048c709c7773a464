/**
 * Host names as Spanlens compares them (HOST, SPANLENS_ALLOWED_HOSTS, the Host and Origin headers):
 * lower case, IPv6 compressed and without brackets. Pure, shared by lib/env.ts and the request guard.
 */

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV6 = /^[0-9a-f:.]*:[0-9a-f:.]*$/i;

/** `localhost`, `10.0.0.5`, `spanlens.example.com`, `::1` or `[::1]` in the canonical form; else null. */
export function parseHostName(value: string): string | null {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (HOSTNAME.test(bare)) return bare.toLowerCase();
  if (!IPV6.test(bare)) return null;
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

export interface HostAndPort {
  /** Canonical (parseHostName). */
  readonly name: string;
  readonly port: number | null;
}

/** `name`, `name:port`, `[v6]` or `[v6]:port` (a Host header, an allow-list entry); else null. */
export function parseHostAndPort(value: string): HostAndPort | null {
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (match?.[1] === undefined) return null;
  const name = parseHostName(match[1]);
  const port = match[2] === undefined ? null : Number(match[2]);
  if (name === null || (port !== null && (port < 1 || port > 65_535))) return null;
  return { name, port };
}

/** Back to text: `name`, `name:port`, IPv6 in brackets. */
export function formatHostAndPort({ name, port }: HostAndPort): string {
  const host = name.includes(':') ? `[${name}]` : name;
  return port === null ? host : `${host}:${port}`;
}
