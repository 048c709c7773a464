import type { LinkedQualityExample, QualityResponse } from '../http/api-types.ts';
import { buildSpanLink } from '../links/jaeger-links.ts';
import { QUALITY_DEFINITIONS } from '../metrics/trace-quality.ts';
import type { QualityExample } from '../metrics/types.ts';
import { serializeQuery, type QualityQuery } from '../query/dashboard-query.ts';
import { aggregateQueryAcrossServices, type AcrossServicesContext } from './per-service.ts';
import type { ResolvedSource } from './sources.ts';

/**
 * `GET /api/quality`: trace quality over every trace of the window, each trace once
 * (aggregateAcrossServices). With `service`, only that service is searched, and the per-service rows,
 * breaks and unlocated losses are those touching it; the totals are over the traces that search found.
 */
export async function computeQuality(query: QualityQuery, resolved: ResolvedSource, context: AcrossServicesContext): Promise<QualityResponse> {
  const { result, services, traces, coverage, window } = await aggregateQueryAcrossServices(
    query,
    { options: {}, include: ['traceQuality'] },
    resolved,
    context,
  );
  const quality = result.traceQuality;
  const ui = resolved.jaegerUiUrl;
  const link = (examples: readonly QualityExample[]): LinkedQualityExample[] =>
    examples.map((example) => ({ ...example, jaegerUrl: buildSpanLink(ui, example.traceId, example.spanId) }));
  const linked = <T extends { readonly examples: readonly QualityExample[] }>(row: T) => ({ ...row, examples: link(row.examples) });
  const focus = query.service;
  const breaks = quality.propagation.breaks.filter((row) => focus === undefined || row.caller === focus || row.callee === focus);
  return {
    source: resolved.info,
    query: serializeQuery(query),
    service: focus ?? null,
    windowStartUs: window.startUs,
    windowEndUs: window.endUs,
    servicesSearched: services.length,
    traces,
    coverage,
    totals: {
      spans: quality.spans,
      tracesWithoutRoot: quality.tracesWithoutRoot,
      orphanSpans: quality.orphanSpans,
      lostCalls: quality.propagation.breaks.reduce((n, row) => n + row.lost, 0),
      duplicateSpanIds: quality.duplicateSpanIds,
      clockSkewSpans: quality.clockSkew.spans,
      missingParentWarnings: quality.missingParentWarnings,
      warnings: quality.warnings,
      spansOnReferenceCycles: quality.spansOnReferenceCycles,
    },
    rootless: { traces: quality.tracesWithoutRoot, examples: link(quality.rootlessExamples) },
    duplicates: { spans: quality.duplicateSpanIds, examples: link(quality.duplicateExamples) },
    clockSkew: linked(quality.clockSkew),
    spansPerTrace: quality.spansPerTrace,
    depth: quality.depth,
    byService: quality.byService.filter((row) => focus === undefined || row.service === focus).map(linked),
    propagation: {
      breaks: breaks.map(linked),
      unlocated: quality.propagation.unlocated
        .filter((row) => focus === undefined || row.service === focus || row.expectedCallers.includes(focus))
        .map(linked),
    },
    definitions: QUALITY_DEFINITIONS,
  };
}
