import { describe, expect, it } from 'vitest';
import {
  formatIssuePath,
  legacyErrorBodySchema,
  legacyOperationsResponseSchema,
  legacyServiceOperationsResponseSchema,
  legacyServicesResponseSchema,
  legacyTracesResponseSchema,
  v3ErrorBodySchema,
  v3OperationsResponseSchema,
  v3ServicesResponseSchema,
  v3TracesResponseSchema,
} from './schemas.ts';

const envelope = { total: 0, limit: 0, offset: 0, errors: null };

describe('legacy schemas', () => {
  it('read data: null as an empty list (services, operations, traces)', () => {
    expect(legacyServicesResponseSchema.parse({ data: null, ...envelope }).data).toEqual([]);
    expect(legacyServiceOperationsResponseSchema.parse({ data: null, ...envelope }).data).toEqual([]);
    expect(legacyOperationsResponseSchema.parse({ data: null, ...envelope }).data).toEqual([]);
    expect(legacyTracesResponseSchema.parse({ data: null, ...envelope }).data).toEqual([]);
  });

  it('keep operations with an unspecified kind as "" and tolerate extra keys', () => {
    const parsed = legacyOperationsResponseSchema.parse({
      data: [
        { name: 'a', spanKind: '' },
        { name: 'b', extra: 1 },
      ],
      total: 2,
      limit: 0,
      offset: 0,
      errors: null,
    });
    expect(parsed.data).toEqual([
      { name: 'a', spanKind: '' },
      { name: 'b', spanKind: '' },
    ]);
  });

  it('read the error envelope Go writes as text/plain, and only when it has errors', () => {
    const body = JSON.parse('{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":400,"msg":"parameter \'service\' is required"}]}\n');
    expect(legacyErrorBodySchema.parse(body).errors).toEqual([{ code: 400, msg: "parameter 'service' is required" }]);
    expect(legacyErrorBodySchema.safeParse({ data: [], ...envelope }).success).toBe(false);
  });

  it('accept int64 tags sent as strings and a bool tag holding the string "true"', () => {
    const span = {
      traceID: 'a',
      spanID: 'b',
      operationName: 'op',
      references: [],
      startTime: 1,
      duration: 0,
      tags: [
        { key: 'big', type: 'int64', value: '9223372036854775807' },
        { key: 'error', type: 'bool', value: 'true' },
      ],
      logs: [],
      processID: 'p1',
      warnings: null,
    };
    const trace = { traceID: 'a', spans: [span], processes: { p1: { serviceName: 's', tags: [] } }, warnings: null };
    expect(legacyTracesResponseSchema.safeParse({ data: [trace], ...envelope }).success).toBe(true);
    const bad = { ...trace, spans: [{ ...span, processID: 'p2' }] };
    const result = legacyTracesResponseSchema.safeParse({ data: [bad], ...envelope });
    expect(result.success ? null : formatIssuePath(result.error.issues[0]?.path ?? [])).toBe('data[0].spans[0].processID');
  });
});

describe('v3 schemas', () => {
  it('read {} as empty services, operations and traces (proto-JSON omits empty lists)', () => {
    expect(v3ServicesResponseSchema.parse({}).services).toEqual([]);
    expect(v3OperationsResponseSchema.parse({}).operations).toEqual([]);
    expect(v3TracesResponseSchema.parse({}).result.resourceSpans).toEqual([]);
    expect(v3TracesResponseSchema.parse({ result: {} }).result.resourceSpans).toEqual([]);
  });

  it('read the grpc-gateway error body', () => {
    expect(v3ErrorBodySchema.parse({ error: { httpCode: 404, message: 'No traces found' } }).error.message).toBe('No traces found');
    expect(v3ErrorBodySchema.safeParse({ data: null }).success).toBe(false);
  });

  it.each([
    [{ intValue: '42' }, true],
    [{ intValue: 42 }, true],
    [{ intValue: '4.2' }, false],
    [{ doubleValue: 'NaN' }, true],
    [{ doubleValue: 'many' }, false],
    [{ arrayValue: { values: [{ kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } }] } }, true],
    [{ arrayValue: { values: [{ boolValue: 'yes' }] } }, false],
  ])('attribute value %j valid: %s', (value, valid) => {
    const span = {
      traceId: '0'.repeat(32),
      spanId: '0'.repeat(16),
      name: 'op',
      startTimeUnixNano: '1',
      endTimeUnixNano: '2',
      attributes: [{ key: 'k', value }],
    };
    const body = { result: { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] } };
    expect(v3TracesResponseSchema.safeParse(body).success).toBe(valid);
  });
});

describe('formatIssuePath', () => {
  it.each([
    [['data', 3, 'spans', 0, 'duration'], 'data[3].spans[0].duration'],
    [[], ''],
    [['result', 'resourceSpans', 0], 'result.resourceSpans[0]'],
  ] as const)('%j → %s', (path, text) => {
    expect(formatIssuePath(path)).toBe(text);
  });
});
