import type { MetricsQuery } from '../query/dashboard-query.ts';
import type { DownloadRequest } from '../query/download-piece.ts';
import { METRIC_NAMES } from '../metrics/registry.ts';
import type { Percentile } from '../metrics/types.ts';
import type { BubbleUpAttribute, BubbleUpResponse } from './bubbleup-types.ts';
import type { CsvColumn, CsvValue } from './csv.ts';
import type {
  DependenciesResponse,
  LlmModelResponse,
  LlmResponse,
  MetricsResponse,
  OverviewResponse,
  OverviewServiceRow,
  OverviewSpan,
  QualityResponse,
} from './api-types.ts';
import { comparisonColumns } from './comparison-columns.ts';
import { defineDownload, downloadTable } from './table-download.ts';

/**
 * The tables behind `format=csv` on /api/metrics, /api/overview, /api/dependencies, /api/bubbleup, /api/llm and /api/quality: the columns each
 * page's table shows, unformatted (durations in µs, rates per second, error rates as fractions), so a
 * CSV cell equals the JSON number it came from.
 */

type ErrorGroupRow = NonNullable<MetricsResponse['errors']>[number];
type GroupRow = NonNullable<MetricsResponse['groups']>[number];

/** The keys of a row whose values are text, numbers, flags or null: a cell each. */
type CellKey<Row> = { [K in keyof Row]-?: Row[K] extends CsvValue ? K : never }[keyof Row] & string;

/** Columns that are the row's own fields, each as the JSON has it. */
const fieldColumns = <Row>(headers: readonly CellKey<Row>[]): CsvColumn<Row>[] =>
  // The key type admits only CsvValue fields; TS cannot carry that through the index.
  headers.map((header) => ({ header, value: (row: Row) => row[header] as CsvValue }));

const percentileColumns = <Row>(name: string, of: (row: Row) => Percentile | undefined): CsvColumn<Row>[] => [
  { header: `${name}Us`, value: (row) => of(row)?.valueUs ?? null },
  { header: `${name}LowerUs`, value: (row) => of(row)?.interval?.lowerUs ?? null },
  { header: `${name}UpperUs`, value: (row) => of(row)?.interval?.upperUs ?? null },
];

/** Every grouped tag key of the answer, one column each (groupBy=tag:KEY); with a baseline, the Δ columns. */
function groupColumns(data: MetricsResponse): CsvColumn<GroupRow>[] {
  const tagKeys = [...new Set((data.groups ?? []).flatMap((group) => Object.keys(group.tags)))].sort();
  return [
    ...fieldColumns<GroupRow>(['service', 'operation']),
    ...tagKeys.map((key): CsvColumn<GroupRow> => ({ header: `tag:${key}`, value: (group) => group.tags[key] ?? null })),
    ...fieldColumns<GroupRow>(['count', 'errorCount', 'errorRate', 'ratePerSecond']),
    ...percentileColumns<GroupRow>('p50', (group) => group.durations.p50),
    ...percentileColumns<GroupRow>('p90', (group) => group.durations.p90),
    ...percentileColumns<GroupRow>('p95', (group) => group.durations.p95),
    ...percentileColumns<GroupRow>('p99', (group) => group.durations.p99),
    { header: 'minUs', value: (group) => group.durations.minUs },
    { header: 'meanUs', value: (group) => group.durations.meanUs },
    { header: 'maxUs', value: (group) => group.durations.maxUs },
    ...(data.baseline ? comparisonColumns<GroupRow>((group) => group.comparison) : []),
  ];
}

const spanColumns: readonly CsvColumn<OverviewSpan>[] = [
  ...fieldColumns<OverviewSpan>(['traceId', 'spanId', 'service', 'operation']),
  { header: 'startTime', value: (span) => new Date(Math.floor(span.startUs / 1_000)).toISOString() },
  ...fieldColumns<OverviewSpan>(['startUs', 'durationUs', 'error', 'jaegerUrl']),
];

const errorGroupColumns: readonly CsvColumn<ErrorGroupRow>[] = [
  ...fieldColumns<ErrorGroupRow>(['service', 'operation', 'errorType', 'count']),
  { header: 'exampleTraceId', value: (group) => group.examples[0]?.traceId ?? null },
  { header: 'exampleSpanId', value: (group) => group.examples[0]?.spanId ?? null },
];

const metricsWindow = (data: { windowStartUs: number; windowEndUs: number }) => ({ startUs: data.windowStartUs, endUs: data.windowEndUs });

export const METRICS_DOWNLOAD = defineDownload({
  view: (data: MetricsResponse) => ['metrics', new URLSearchParams(data.query).get('service')],
  window: metricsWindow,
  tableNames: ['groups', 'slowest', 'errors'],
  tables: {
    groups: downloadTable((data: MetricsResponse) => data.groups ?? [], groupColumns),
    slowest: downloadTable((data: MetricsResponse) => data.slowest ?? [], spanColumns),
    errors: downloadTable((data: MetricsResponse) => data.errors ?? [], errorGroupColumns),
  },
});

/** A CSV of one metric set computes that set even when `include` leaves it out. */
export function metricsQueryForDownload(query: MetricsQuery, request: DownloadRequest<'groups' | 'slowest' | 'errors'>): MetricsQuery {
  if (request.format !== 'csv' || query.include.includes(request.table)) return query;
  return { ...query, include: METRIC_NAMES.filter((name) => name === request.table || query.include.includes(name)) };
}

const serviceColumns: readonly CsvColumn<OverviewServiceRow>[] = [
  ...fieldColumns<OverviewServiceRow>(['service', 'count', 'errorCount', 'errorRate', 'ratePerSecond', 'n', 'p50Us', 'p95Us', 'p99Us']),
  { header: 'tracesFetched', value: (row) => row.coverage?.tracesFetched ?? null },
  { header: 'traceLimit', value: (row) => row.coverage?.limit ?? null },
  { header: 'complete', value: (row) => row.coverage?.complete ?? null },
  { header: 'error', value: (row) => row.error?.message ?? null },
];

export const OVERVIEW_DOWNLOAD = defineDownload({
  view: (_data: OverviewResponse) => ['overview'],
  window: metricsWindow,
  tableNames: ['services', 'slowest', 'latestErrors', 'errorGroups'],
  tables: {
    services: downloadTable(
      (data: OverviewResponse) => data.services,
      (data: OverviewResponse) =>
        data.baseline ? [...serviceColumns, ...comparisonColumns<OverviewServiceRow>((row) => row.comparison)] : serviceColumns,
    ),
    slowest: downloadTable((data: OverviewResponse) => data.slowest, spanColumns),
    latestErrors: downloadTable((data: OverviewResponse) => data.latestErrors, spanColumns),
    errorGroups: downloadTable((data: OverviewResponse) => data.errorGroups, errorGroupColumns),
  },
});

/** One edge at either level: a service-level node is its service name, an operation-level one service + operation. */
type EdgeRow = DependenciesResponse['edges'][number];
const nodeService = (node: EdgeRow['parent']) => (typeof node === 'string' ? node : node.service);
const nodeOperation = (node: EdgeRow['parent']) => (typeof node === 'string' ? null : node.operation);

function edgeColumns(data: DependenciesResponse): CsvColumn<EdgeRow>[] {
  const nodes: CsvColumn<EdgeRow>[] =
    data.level === 'service'
      ? [
          { header: 'parent', value: (edge) => nodeService(edge.parent) },
          { header: 'child', value: (edge) => nodeService(edge.child) },
        ]
      : [
          { header: 'parentService', value: (edge) => nodeService(edge.parent) },
          { header: 'parentOperation', value: (edge) => nodeOperation(edge.parent) },
          { header: 'childService', value: (edge) => nodeService(edge.child) },
          { header: 'childOperation', value: (edge) => nodeOperation(edge.child) },
        ];
  return [...nodes, ...fieldColumns<EdgeRow>(['calls', 'errors', 'callsPerSecond', 'errorRate', 'p95Us', 'gapP50Us', 'gapP95Us', 'peer'])];
}

export const DEPENDENCIES_DOWNLOAD = defineDownload({
  view: (data: DependenciesResponse) => ['dependencies', data.service, data.level],
  window: metricsWindow,
  tableNames: ['edges'],
  tables: {
    edges: downloadTable((data: DependenciesResponse): readonly EdgeRow[] => data.edges, edgeColumns),
  },
});

export const BUBBLEUP_DOWNLOAD = defineDownload({
  view: (data: BubbleUpResponse) => ['bubbleup', new URLSearchParams(data.query).get('service')],
  window: metricsWindow,
  tableNames: ['attributes'],
  tables: {
    attributes: downloadTable(
      (data: BubbleUpResponse) => data.attributes,
      fieldColumns<BubbleUpAttribute>([
        'key',
        'value',
        'cohortCount',
        'cohortTotal',
        'baselineCount',
        'baselineTotal',
        'cohortShare',
        'baselineShare',
        'pValue',
        'adjustedP',
        'significant',
      ]),
    ),
  },
});

type LlmSpender = LlmResponse['spenders']['rows'][number];

export const LLM_DOWNLOAD = defineDownload({
  view: (data: LlmResponse) => ['llm', data.service],
  window: metricsWindow,
  tableNames: ['models', 'spenders'],
  tables: {
    models: downloadTable(
      (data: LlmResponse) => data.models,
      fieldColumns<LlmModelResponse>([
        'model',
        'provider',
        'calls',
        'errorCount',
        'p50Us',
        'p95Us',
        'p99Us',
        'inputTokens',
        'outputTokens',
        'totalTokens',
        'cachedInputTokens',
        'outputTokensPerSecond',
        'costUsd',
        'carriedCostUsd',
        'carriedCostCalls',
        'modelMismatches',
      ]),
    ),
    spenders: downloadTable(
      (data: LlmResponse) => data.spenders.rows,
      (data: LlmResponse): CsvColumn<LlmSpender>[] => [
        ...data.spenders.groupBy.map((key, i): CsvColumn<LlmSpender> => ({ header: key, value: (row) => row.values[i] ?? null })),
        ...fieldColumns<LlmSpender>([
          'calls',
          'errorCount',
          'inputTokens',
          'outputTokens',
          'totalTokens',
          'cachedInputTokens',
          'costUsd',
          'unpricedCalls',
          'carriedCostUsd',
        ]),
      ],
    ),
  },
});

type QualityServiceRow = QualityResponse['byService'][number];

export const QUALITY_DOWNLOAD = defineDownload({
  view: (data: QualityResponse) => ['quality', data.service],
  window: metricsWindow,
  tableNames: ['services'],
  tables: {
    services: downloadTable(
      (data: QualityResponse) => data.byService,
      fieldColumns<QualityServiceRow>([
        'service',
        'spans',
        'traces',
        'rootlessTraces',
        'rootSpans',
        'orphanSpans',
        'unexpectedRoots',
        'clockSkewSpans',
        'duplicateSpanIds',
        'problemSpans',
        'problemShare',
      ]),
    ),
  },
});
