export * from './cohort.ts';
export * from './dashboard-query.ts';
export * from './invalid-query-error.ts';
export * from './pieces.ts';
export * from './view-helpers.ts';
export * from './window.ts';
export * from './download-piece.ts';
