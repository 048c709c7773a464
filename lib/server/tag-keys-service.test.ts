import { describe, expect, it } from 'vitest';
import { aSpan, aTrace } from '../testing/span-builder.ts';
import { tallyTagKeys } from './tag-keys-service.ts';

describe('tallyTagKeys', () => {
  it('counts span tags and process tags (as process.KEY) on the service only, most common first', () => {
    const trace = aTrace([
      aSpan().withService('api').withTag('http.route', '/a').withProcessTag('hostname', 'h1').build(),
      aSpan().withService('api').withTag('http.route', '/b').withTag('error', true).withProcessTag('hostname', 'h1').build(),
      aSpan().withService('db').withTag('db.system', 'postgres').build(),
    ]);
    expect(tallyTagKeys([trace], 'api')).toEqual({
      spans: 2,
      keys: [
        { key: 'http.route', spans: 2, distinctValues: 2 },
        { key: 'process.hostname', spans: 2, distinctValues: 1 },
        { key: 'error', spans: 1, distinctValues: 1 },
      ],
    });
  });
});
