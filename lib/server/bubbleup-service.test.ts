import { describe, expect, it } from 'vitest';
import { createFileSource } from '../jaeger/file-source.ts';
import { bubbleupQuerySchema, parseQuery } from '../query/dashboard-query.ts';
import { aSpan, aTrace, hexId } from '../testing/span-builder.ts';
import { computeBubbleUp } from './bubbleup-service.ts';
import type { ResolvedSource } from './sources.ts';

/** One server span of `api` per trace, a second apart: 3 × GET /items/1 (one an error), 2 × GET /items/22, 5 × GET /cart. */
const names = ['GET /items/1', 'GET /items/1', 'GET /items/1', 'GET /items/22', 'GET /items/22', ...Array<string>(5).fill('GET /cart')];
const traces = names.map((name, n) =>
  aTrace([
    aSpan()
      .withTraceId(hexId(n + 1, 32))
      .withService('api')
      .withOperation(name)
      .withStart((n + 1) * 1_000_000)
      .withDuration(1_000)
      .withError(n === 0)
      .build(),
  ]),
);
const resolved: ResolvedSource = { source: createFileSource(traces), info: { mode: 'upload', label: 'bubbleup-service-test' }, jaegerUiUrl: null };
const context = { nowMs: 60_000, maxTraces: 100 };
const window = 'start=1970-01-01T00:00:00Z&end=1970-01-01T00:00:30Z';

describe('computeBubbleUp', () => {
  it('counts only the spans of a folded operation in a folded view: the 5 GET /items/* spans, 1 of them in the errors cohort', async () => {
    const query = parseQuery(bubbleupQuerySchema, `service=api&operation=${encodeURIComponent('GET /items/{id}')}&fold=1&cohort=errors&${window}`);
    const answer = await computeBubbleUp(query, resolved, context);
    expect({ cohortTotal: answer.cohortTotal, baselineTotal: answer.baselineTotal }).toEqual({ cohortTotal: 1, baselineTotal: 4 });
  });

  it('counts the whole service without an operation', async () => {
    const query = parseQuery(bubbleupQuerySchema, `service=api&cohort=errors&${window}`);
    const answer = await computeBubbleUp(query, resolved, context);
    expect({ cohortTotal: answer.cohortTotal, baselineTotal: answer.baselineTotal }).toEqual({ cohortTotal: 1, baselineTotal: 9 });
  });
});
