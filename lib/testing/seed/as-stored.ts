import { SEED_SERVICES, seedSpans, type SeedAttributeValue, type SeedSpan, type SeedWorkload } from './workload.ts';

/**
 * The seeded spans as the test Jaeger holds them now. Jaeger v2.13's memory store hands readers the
 * traces it stores, not copies, and the query service's adjusters sort span attributes in place
 * (jaeger#9261, "Return copies of stored traces, not references", fixed after v2.13.0): two queries
 * reading one trace at the same moment can tear key/value pairs apart, and the stored span keeps
 * sorted keys with its values in their old order, for every later reader. A test taking its expected
 * numbers from the workload reads Jaeger's raw legacy answer once (independently of the app) and, for
 * a span torn that way (the same keys and the same values, paired differently), takes the stored
 * values; any other difference, or a missing span, is an error.
 */
export async function seedSpansAsStored(
  jaegerUrl: string,
  workload: SeedWorkload,
  search: { readonly startUs: number; readonly endUs: number; readonly runAttribute: string },
): Promise<{ readonly spans: readonly SeedSpan[]; readonly tornSpanIds: readonly string[] }> {
  const stored = new Map<string, Map<string, SeedAttributeValue>>();
  for (const service of SEED_SERVICES) {
    const params = new URLSearchParams({
      service,
      start: String(search.startUs),
      end: String(search.endUs + 1),
      limit: '2000',
      tags: JSON.stringify({ [search.runAttribute]: workload.runId }),
    });
    const response = await fetch(`${jaegerUrl}/api/traces?${params}`);
    if (!response.ok) throw new Error(`Jaeger answered ${response.status} for the seeded ${service} traces`);
    const { data } = (await response.json()) as {
      data: { spans: { spanID: string; tags: { key: string; value: SeedAttributeValue }[] }[] }[];
    };
    for (const trace of data) for (const span of trace.spans) stored.set(span.spanID, new Map(span.tags.map((tag) => [tag.key, tag.value])));
  }
  const tornSpanIds: string[] = [];
  const spans = seedSpans(workload).map((span) => {
    const tags = stored.get(span.spanId);
    if (tags === undefined) throw new Error(`Jaeger does not hold the seeded span ${span.spanId} (${span.service} ${span.name})`);
    const keys = Object.keys(span.attributes);
    if (keys.every((key) => String(tags.get(key)) === String(span.attributes[key]))) return span;
    const values = (pick: (key: string) => unknown) => keys.map((key) => String(pick(key))).sort();
    if (JSON.stringify(values((key) => tags.get(key))) !== JSON.stringify(values((key) => span.attributes[key]))) {
      throw new Error(`Jaeger holds the seeded span ${span.spanId} with attributes that are not the workload's: ${JSON.stringify([...tags])}`);
    }
    tornSpanIds.push(span.spanId);
    return { ...span, attributes: Object.fromEntries(keys.map((key) => [key, tags.get(key) as SeedAttributeValue])) };
  });
  return { spans, tornSpanIds };
}
