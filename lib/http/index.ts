export * from './error-response.ts';
export * from './http-error.ts';
export * from './request-body.ts';
export type * from './api-types.ts';
