export * from './dashboard-query.ts';
export * from './duration.ts';
export * from './invalid-query-error.ts';
export * from './window.ts';
