export * from './api-error.ts';
export * from './metrics.ts';
export * from './query-client.ts';
export * from './services.ts';
export * from './tag-keys.ts';
export * from './uploads.ts';
export * from './views.ts';
