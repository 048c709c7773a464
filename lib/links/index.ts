export * from './jaeger-links.ts';
