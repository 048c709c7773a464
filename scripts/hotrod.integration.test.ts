/**
 * HotROD, driven by scripts/hotrod.sh inside the harness, leaves real traces in the test Jaeger:
 * its six services, a fan-out per dispatch, and real errors (invalid customers, redis timeouts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSeedManifest, requireHarnessEnv, type HarnessManifest } from '../lib/testing/jaeger-harness.ts';

interface LegacyTrace {
  traceID: string;
  spans: { spanID: string; operationName: string; references: unknown[]; tags: { key: string; value: unknown }[]; processID: string }[];
  processes: Record<string, { serviceName: string }>;
}

let jaegerUrl: string;
let manifest: HarnessManifest;
let dispatches: LegacyTrace[];

const hasTag = (tags: readonly { key: string; value: unknown }[], key: string, value: unknown): boolean =>
  tags.some((tag) => tag.key === key && tag.value === value);
const servicesOf = (trace: LegacyTrace): Set<string> => new Set(trace.spans.map((s) => trace.processes[s.processID]?.serviceName ?? '?'));

beforeAll(async () => {
  jaegerUrl = requireHarnessEnv().SPANLENS_TEST_JAEGER_URL;
  manifest = readSeedManifest();
  const endUs = Date.now() * 1000;
  const params = new URLSearchParams({
    service: 'frontend',
    operation: '/dispatch',
    start: String(endUs - 3_600_000_000),
    end: String(endUs),
    limit: '1000',
  });
  const body = (await (await fetch(`${jaegerUrl}/api/traces?${params}`)).json()) as { data: LegacyTrace[] };
  dispatches = body.data;
});

describe('HotROD traffic in the test Jaeger', () => {
  it('was driven by the harness', () => {
    expect(manifest.hotrod).not.toBeNull();
  });

  it('lists the six HotROD services', async () => {
    const body = (await (await fetch(`${jaegerUrl}/api/services`)).json()) as { data: string[] };
    expect(body.data).toEqual(expect.arrayContaining(['frontend', 'customer', 'driver', 'route', 'redis-manual', 'mysql']));
  });

  it('has one trace per dispatch request', () => {
    const { validRequests, invalidRequests } = manifest.hotrod ?? { validRequests: -1, invalidRequests: -1 };
    expect(dispatches).toHaveLength(validRequests + invalidRequests);
  });

  it('fans a valid dispatch out over all six services', () => {
    const valid = dispatches.filter((t) => t.spans.some((s) => s.references.length === 0 && hasTag(s.tags, 'http.response.status_code', 200)));
    expect(valid).toHaveLength(manifest.hotrod?.validRequests ?? -1);
    for (const trace of valid) {
      expect(servicesOf(trace).size).toBe(6);
      // One route computation per nearby driver (HotROD's route fan-out), ten drivers per dispatch.
      expect(trace.spans.filter((s) => trace.processes[s.processID]?.serviceName === 'route').length).toBeGreaterThanOrEqual(10);
    }
    // HotROD fails every 5th redis GetDriver call with a timeout (services/driver/redis.go).
    const redisErrors = valid.flatMap((t) => t.spans.filter((s) => s.operationName === 'GetDriver' && hasTag(s.tags, 'error', true)));
    expect(redisErrors.length).toBeGreaterThanOrEqual(valid.length);
  });

  it('fails dispatches for invalid customers with real error spans', () => {
    const failed = dispatches.filter((t) => t.spans.some((s) => s.references.length === 0 && hasTag(s.tags, 'http.response.status_code', 500)));
    expect(failed).toHaveLength(manifest.hotrod?.invalidRequests ?? -1);
    for (const trace of failed) {
      const errorServices = new Set(trace.spans.filter((s) => hasTag(s.tags, 'error', true)).map((s) => trace.processes[s.processID]?.serviceName));
      expect(errorServices).toEqual(new Set(['frontend', 'customer']));
    }
  });
});
