/**
 * Span kind and error classification of a normalised span's tags (design §2), shared by the legacy
 * and OTLP normalisers. A hot path (one call per span, measured by `npm run bench`): one pass over
 * the tags, switching on key length, with no allocation.
 */
import type { KeyValue, SpanKind } from './span.ts';
import { parseHttpStatus, SERVER_ERROR_STATUS } from './span-rules.ts';

const SPAN_KINDS: Readonly<Record<string, SpanKind>> = {
  server: 'server',
  client: 'client',
  producer: 'producer',
  consumer: 'consumer',
  internal: 'internal',
};

const KIND_BITS: Readonly<Record<SpanKind, number>> = {
  server: 1,
  client: 2,
  producer: 3,
  consumer: 4,
  internal: 5,
};
const KIND_BY_BITS: readonly (SpanKind | null)[] = [null, 'server', 'client', 'producer', 'consumer', 'internal'];
const ERROR_BIT = 8;

/**
 * Span kind and the error rule of design §2, read from the final tag list so that legacy spans and
 * v3 spans (whose status and kind were first turned into the same tags) are judged identically.
 * Returns `kindBits | ERROR_BIT` to stay allocation-free. The first `span.kind` tag wins.
 */
export function classifyTags(tags: readonly KeyValue[]): number {
  let kind = 0;
  let errorTag = false;
  let status = 0;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i] as KeyValue;
    const key = tag.key;
    // Switch on length first: most keys differ in length from all five, so one integer compare rejects them.
    switch (key.length) {
      case 5:
        if (key === 'error' && (tag.value === true || tag.value === 'true')) errorTag = true;
        break;
      case 9:
        if (key === 'span.kind' && kind === 0 && typeof tag.value === 'string') {
          const known = SPAN_KINDS[tag.value];
          if (known !== undefined && Object.hasOwn(SPAN_KINDS, tag.value)) kind = KIND_BITS[known];
        }
        break;
      case 16:
        if (key === 'otel.status_code') {
          if (tag.value === 'ERROR') errorTag = true;
        } else if (key === 'http.status_code') {
          status = parseHttpStatus(tag.value);
        }
        break;
      case 25:
        if (key === 'http.response.status_code') status = parseHttpStatus(tag.value);
        break;
      default:
        break;
    }
  }
  const serverError = kind === KIND_BITS.server && status >= SERVER_ERROR_STATUS;
  return kind | (errorTag || serverError ? ERROR_BIT : 0);
}

/** The span kind `classifyTags` found, or null. */
export function classifiedKind(classified: number): SpanKind | null {
  return KIND_BY_BITS[classified & 7] ?? null;
}

/** Whether `classifyTags` found the span in error. */
export function classifiedError(classified: number): boolean {
  return (classified & ERROR_BIT) !== 0;
}
