import { describe, expect, it } from 'vitest';
import { HttpError } from '../http/http-error.ts';
import { aggregateResponseBytes } from '../pipeline/aggregate-bytes.ts';
import { UploadStore } from '../server/upload-store.ts';
import { acceptUpload } from '../server/uploads.ts';
import { JaegerBadResponseError } from './errors.ts';
import { parseTraceBytes, TraceFileError } from './file-source.ts';
import { normalizeV3Traces } from './normalize.ts';
import { MAX_ANY_VALUE_DEPTH, v3TracesResponseSchema } from './schemas.ts';

/**
 * The depth bound on OTLP attribute values (schemas.ts MAX_ANY_VALUE_DEPTH): a value nested 100k deep
 * overflowed the stack of the converter and of zod (a 500 for an upload). Now the fast path and the
 * schema refuse the same values, at the same depth, as a bad response.
 */

const span = {
  traceId: '00000000000000000000000000000abc',
  spanId: '0000000000000001',
  name: 'op',
  startTimeUnixNano: '1790000000000000000',
  endTimeUnixNano: '1790000000001000000',
};
const response = (attributes: unknown[]) => ({
  result: {
    resourceSpans: [
      { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans: [{ ...span, attributes }] }] },
    ],
  },
});

/** `levels` arrays (or maps) around a string. */
function nested(levels: number, container: 'arrayValue' | 'kvlistValue' = 'arrayValue'): unknown {
  let value: unknown = { stringValue: 'x' };
  for (let i = 0; i < levels; i++) {
    value = container === 'arrayValue' ? { arrayValue: { values: [value] } } : { kvlistValue: { values: [{ key: 'k', value }] } };
  }
  return value;
}

/** The same as text, built without recursion: JSON.stringify itself overflows on 100k levels. */
function deepResponseText(levels: number): string {
  const deep = `${'{"arrayValue":{"values":['.repeat(levels)}{"stringValue":"x"}${']}}'.repeat(levels)}`;
  return JSON.stringify(response([{ key: 'deep', value: { stringValue: 'here' } }])).replace('{"stringValue":"here"}', deep);
}

const TOO_DEEP = `expected attribute values nested at most ${MAX_ANY_VALUE_DEPTH} levels deep`;

describe('attribute values nested too deep', () => {
  it.each(['arrayValue', 'kvlistValue'] as const)('reads %s nested exactly MAX_ANY_VALUE_DEPTH levels, in both readers', (container) => {
    const json = response([{ key: 'deep', value: nested(MAX_ANY_VALUE_DEPTH, container) }]);
    expect(v3TracesResponseSchema.safeParse(json).success).toBe(true);
    const tag = normalizeV3Traces(json)[0]?.spans[0]?.tags.find((candidate) => candidate.key === 'deep');
    expect(tag?.type).toBe('string');
  });

  it.each(['arrayValue', 'kvlistValue'] as const)('refuses %s one level deeper, in both readers', (container) => {
    const json = response([{ key: 'deep', value: nested(MAX_ANY_VALUE_DEPTH + 1, container) }]);
    expect(v3TracesResponseSchema.safeParse(json).error?.issues[0]?.message).toBe(TOO_DEEP);
    expect(() => normalizeV3Traces(json)).toThrow(JaegerBadResponseError);
    expect(() => normalizeV3Traces(json)).toThrow(TOO_DEEP);
  });

  it("refuses a too-deep item of Jaeger's @jaeger@warnings attribute (read apart from the other attributes)", () => {
    const json = response([{ key: '@jaeger@warnings', value: { arrayValue: { values: [nested(MAX_ANY_VALUE_DEPTH)] } } }]);
    expect(v3TracesResponseSchema.safeParse(json).success).toBe(false);
    expect(() => normalizeV3Traces(json)).toThrow(TOO_DEEP);
    const fine = response([{ key: '@jaeger@warnings', value: { arrayValue: { values: [nested(MAX_ANY_VALUE_DEPTH - 1)] } } }]);
    expect(normalizeV3Traces(fine)[0]?.spans[0]?.warnings).toHaveLength(1);
  });

  it('names the field of a 100k-deep value instead of overflowing the stack', () => {
    const json = JSON.parse(deepResponseText(100_000)) as unknown;
    const error = (() => {
      try {
        return normalizeV3Traces(json);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(JaegerBadResponseError);
    expect((error as JaegerBadResponseError).detail).toBe(TOO_DEEP);
    expect((error as JaegerBadResponseError).field).toBe(
      `result.resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value${'.arrayValue.values[0]'.repeat(MAX_ANY_VALUE_DEPTH)}.arrayValue`,
    );
  });

  it('refuses a 100k-deep upload as a bad file (400), not a crash (500)', async () => {
    const text = deepResponseText(100_000);
    expect(() => parseTraceBytes(text, 'deep.json')).toThrow(TraceFileError);
    expect(() => parseTraceBytes(text, 'deep.json')).toThrow(TOO_DEEP);
    const window = { service: 'svc', windowStartUs: 1_789_999_000_000_000, windowEndUs: 1_790_001_000_000_000 };
    expect(() => aggregateResponseBytes(Buffer.from(text), 'v3', window)).toThrow(JaegerBadResponseError);
    const request = new Request('http://spanlens.test/api/uploads', { method: 'POST', body: text, headers: { 'x-file-name': 'deep.json' } });
    const error = await acceptUpload(request, new UploadStore({ maxUploads: 4, maxSpans: 10_000 })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400, field: 'file' });
    expect((error as Error).message).toContain(TOO_DEEP);
  });
});
