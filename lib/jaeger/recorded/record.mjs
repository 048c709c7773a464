// Records one crafted trace through a real Jaeger's two query APIs, for normalize.test.ts.
// Usage: node lib/jaeger/recorded/record.mjs OTLP_HTTP_BASE QUERY_BASE   (a fresh Jaeger: the trace ID is fixed)
// The trace covers every OTLP attribute type, kinds 0–5, status UNSET/OK/ERROR with and without a
// message, events with and without a name (and one with its own `event` attribute), links (one marked
// opentracing.ref_type=child_of), two scopes and two resources.
import { writeFileSync } from 'node:fs';

const [otlpUrl = 'http://127.0.0.1:4318', queryUrl = 'http://127.0.0.1:16686'] = process.argv.slice(2);
const now = BigInt(Date.now()) * 1000000n;
const tid = (n) => n.toString(16).padStart(32, 'a');
const sid = (n) => n.toString(16).padStart(16, '0');
const attrsAll = [
  { key: 's', value: { stringValue: 'x<y&z' } },
  { key: 'b', value: { boolValue: true } },
  { key: 'i', value: { intValue: '-42' } },
  { key: 'big', value: { intValue: '9223372036854775807' } },
  { key: 'd', value: { doubleValue: 0.25 } },
  { key: 'dint', value: { doubleValue: 3 } },
  { key: 'bytes', value: { bytesValue: 'AAAwOQ==' } },
  { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a<b' }, { intValue: '9223372036854775807' }, { doubleValue: 1.5 }, { boolValue: false }, { bytesValue: 'AQI=' }] } } },
  { key: 'map', value: { kvlistValue: { values: [{ key: 'z', value: { boolValue: false } }, { key: 'a', value: { arrayValue: { values: [{ intValue: '1' }] } } }, { key: 'm', value: { kvlistValue: { values: [{ key: 'y', value: { stringValue: '>' } }, { key: 'b', value: { doubleValue: 2.5 } }] } } }] } } },
  { key: 'emptyarr', value: { arrayValue: {} } },
  { key: 'http.status_code', value: { intValue: '503' } },
];
const base = (n, extra) => ({
  traceId: tid(1), spanId: sid(n), name: 'op-' + n, kind: 2,
  startTimeUnixNano: String(now + BigInt(n) * 1000123n), endTimeUnixNano: String(now + BigInt(n) * 1000123n + 1999999n),
  ...extra,
});
const body = { resourceSpans: [
  { resource: { attributes: [{ key: 'host.name', value: { stringValue: 'h1' } }, { key: 'service.name', value: { stringValue: 'rec-svc' } }, { key: 'process.pid', value: { intValue: '4242' } }, { key: 'telemetry.sdk.language', value: { stringValue: 'go' } }] },
    scopeSpans: [
      { scope: { name: 'my-scope', version: '1.2.3' }, spans: [
        base(1, { attributes: attrsAll, status: { code: 2, message: 'boom' }, traceState: 'vendor=1' }),
        base(2, { parentSpanId: sid(1), kind: 3, status: { code: 1 }, events: [
          { timeUnixNano: String(now + 5000999n), name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'E' } }] },
          { timeUnixNano: String(now + 6000000n), attributes: [{ key: 'k', value: { intValue: '1' } }] },
          { timeUnixNano: String(now + 7000000n), name: 'named', attributes: [{ key: 'event', value: { stringValue: 'own' } }] },
        ], links: [
          { traceId: tid(99), spanId: sid(77) },
          { traceId: tid(1), spanId: sid(3), attributes: [{ key: 'opentracing.ref_type', value: { stringValue: 'child_of' } }] },
        ] }),
        base(3, { parentSpanId: sid(1), kind: 1 }),
        base(4, { parentSpanId: sid(1), kind: 0 }),
        base(5, { parentSpanId: sid(1), kind: 4, status: { code: 0, message: 'ignored?' } }),
      ] },
      { scope: {}, spans: [ base(6, { parentSpanId: sid(2), kind: 5 }) ] },
    ] },
  { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'rec-other' } }] }, scopeSpans: [ { spans: [ base(7, { parentSpanId: sid(6) }) ] } ] },
] };
const posted = await fetch(`${otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
if (!posted.ok) throw new Error(`OTLP POST answered ${posted.status}: ${await posted.text()}`);
await new Promise((resolve) => setTimeout(resolve, 2000));
const iso = (ms) => new Date(ms).toISOString();
const window = `query.start_time_min=${iso(Date.now() - 3_600_000)}&query.start_time_max=${iso(Date.now() + 3_600_000)}`;
const get = async (path) => {
  const res = await fetch(`${queryUrl}${path}`);
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return `${JSON.stringify(await res.json(), null, 1)}\n`;
};
writeFileSync(new URL('attribute-types.legacy.json', import.meta.url), await get('/api/traces?service=rec-svc&limit=10'));
writeFileSync(new URL('attribute-types.v3.json', import.meta.url), await get(`/api/v3/traces?query.service_name=rec-svc&${window}&query.num_traces=10`));
console.log('recorded attribute-types.{legacy,v3}.json');
