/**
 * data-testid values shared by the app and the e2e page objects (e2e/models), used only where no
 * role or label query fits (house style §12). One file so a rename breaks both sides at once.
 */
export const testIds = {
  // pages (app/, components/)
  operationsTable: 'operations-table',
  operationRow: 'operation-row',
  operationName: 'operation-name',
  operationCount: 'operation-count',
  operationErrorRate: 'operation-error-rate',
  slowestTable: 'slowest-table',
  slowestRow: 'slowest-row',
  slowestLink: 'slowest-link',
  heatmap: 'latency-heatmap',
  heatmapCell: 'heatmap-cell',
  heatmapReadout: 'heatmap-readout',
  heatmapSelection: 'heatmap-selection',
  errorGroupsTable: 'error-groups-table',
  errorGroupRow: 'error-group-row',
  coverageBadge: 'coverage-badge',
  modeLabel: 'mode-label',
  errorBanner: 'error-banner',
  invalidQuery: 'invalid-query',
  emptyState: 'empty-state',
  copiedLink: 'copied-link',
  savedViews: 'saved-views',
  savedViewItem: 'saved-view-item',
  jaegerSearchLink: 'jaeger-search-link',
  breakdownTable: 'breakdown-table',
  changeVerdict: 'change-verdict',
  changeDelta: 'change-delta',
  comparisonDefinitions: 'comparison-definitions',
  progress: 'query-progress',
} as const;
