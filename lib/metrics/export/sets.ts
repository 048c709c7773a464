/** The metric sets GET /metrics can export (SPANLENS_EXPORT); its own file so lib/env.ts reads it without the exporter. */
export const EXPORT_SETS = ['spanmetrics', 'llm', 'rules'] as const;
export type ExportSet = (typeof EXPORT_SETS)[number];
