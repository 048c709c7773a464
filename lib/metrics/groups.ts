import type { Span } from '../jaeger/span.ts';
import { spanTagValue } from '../jaeger/span-rules.ts';
import type { GroupByKey } from './types.ts';

export const DEFAULT_GROUP_BY: readonly GroupByKey[] = ['service', 'operation'];
/** Shown for a span that lacks a grouped tag (design §4). */
export const MISSING_TAG_VALUE = '(none)';
const MAX_TAG_KEYS = 2;

export interface GroupIdentity {
  readonly key: string;
  readonly service: string | null;
  readonly operation: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

export function resolveGroupBy(groupBy: readonly GroupByKey[] | undefined): readonly GroupByKey[] {
  const keys = groupBy && groupBy.length > 0 ? groupBy : DEFAULT_GROUP_BY;
  if (keys.filter((key) => key.startsWith('tag:')).length > MAX_TAG_KEYS) {
    throw new RangeError(`groupBy allows at most ${MAX_TAG_KEYS} tag keys`);
  }
  return keys;
}

/** The values a span takes for each groupBy key, in order; tag values compare as strings. */
export function groupValues(span: Span, groupBy: readonly GroupByKey[]): string[] {
  return groupBy.map((key) => {
    if (key === 'service') return span.service;
    if (key === 'operation') return span.operation;
    const value = spanTagValue(span, key.slice('tag:'.length));
    return value === undefined ? MISSING_TAG_VALUE : String(value);
  });
}

/** A URL-safe, stable key: `service=a&operation=b&tag%3Ahttp.route=%2Fx` (each part URI-encoded). */
function groupKey(groupBy: readonly GroupByKey[], values: readonly string[]): string {
  return groupBy.map((key, i) => `${encodeURIComponent(key)}=${encodeURIComponent(values[i] ?? '')}`).join('&');
}

export function groupIdentity(groupBy: readonly GroupByKey[], values: readonly string[]): GroupIdentity {
  // A Map, then own properties: a grouped tag key such as __proto__ is a key like any other.
  const tags = new Map<string, string>();
  let service: string | null = null;
  let operation: string | null = null;
  groupBy.forEach((key, i) => {
    const value = values[i] ?? MISSING_TAG_VALUE;
    if (key === 'service') service = value;
    else if (key === 'operation') operation = value;
    else tags.set(key.slice('tag:'.length), value);
  });
  return { key: groupKey(groupBy, values), service, operation, tags: Object.fromEntries(tags) };
}
