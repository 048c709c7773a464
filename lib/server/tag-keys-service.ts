import type { TagKey, TagKeysResponse } from '../http/api-types.ts';
import type { Trace } from '../jaeger/span.ts';
import { compareCodeUnits } from '../jaeger/span-rules.ts';
import type { QueryWindow } from '../query/pieces.ts';
import { traceSearchFor } from './metrics-service.ts';
import type { ResolvedSource } from './sources.ts';

/** Traces sampled to list keys: enough to see the usual keys, small enough to answer at once. */
export const TAG_KEY_SAMPLE_TRACES = 200;
const MAX_DISTINCT_VALUES = 1_000;

/** Tally of the tag keys on one service's spans: span tags as is, process tags as `process.<key>`. */
export function tallyTagKeys(traces: Iterable<Trace>, service: string): { keys: TagKey[]; spans: number } {
  const byKey = new Map<string, { spans: number; values: Set<string> }>();
  let spans = 0;
  const note = (key: string, value: unknown) => {
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { spans: 0, values: new Set() }));
    entry.spans += 1;
    if (entry.values.size < MAX_DISTINCT_VALUES) entry.values.add(String(value));
  };
  for (const trace of traces) {
    for (const span of trace.spans) {
      if (span.service !== service) continue;
      spans += 1;
      for (const tag of span.tags) note(tag.key, tag.value);
      for (const tag of span.processTags) note(`process.${tag.key}`, tag.value);
    }
  }
  const keys = [...byKey].map(([key, entry]) => ({ key, spans: entry.spans, distinctValues: entry.values.size }));
  keys.sort((a, b) => b.spans - a.spans || compareCodeUnits(a.key, b.key));
  return { keys, spans };
}

/** Keys seen on the service's spans in the query's window (a recent sample of traces, not all history). */
export async function listTagKeys(
  query: { readonly service: string; readonly window: QueryWindow },
  resolved: ResolvedSource,
  context: { readonly nowMs: number; readonly signal?: AbortSignal | undefined },
): Promise<TagKeysResponse> {
  const search = traceSearchFor(
    { service: query.service, window: query.window, tags: {} },
    { nowMs: context.nowMs, maxTraces: TAG_KEY_SAMPLE_TRACES },
  );
  const traces: Trace[] = [];
  await resolved.source.searchTraces(search, (batch) => traces.push(...batch), { signal: context.signal });
  const { keys, spans } = tallyTagKeys(traces, search.service);
  return { source: resolved.info, service: search.service, keys, spansSampled: spans };
}
