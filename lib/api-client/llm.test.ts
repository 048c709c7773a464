import { describe, expect, it } from 'vitest';
import { parseDashboardQuery } from '../query/index.ts';
import { llmRequestParams } from './llm.ts';

describe('llmRequestParams', () => {
  it('sends the data query and who-spends grouping, never the page state', () => {
    const query = parseDashboardQuery(
      'service=llm-gateway&groupBy=tag:actor_name&lookback=2h&sort=p95&dir=asc&refresh=15s&view=models&tags=tenant=acme',
    );
    expect(llmRequestParams(query)).toBe('service=llm-gateway&tags=tenant%3Dacme&groupBy=tag%3Aactor_name&lookback=2h');
  });

  it('sends nothing for the defaults: every service, the last hour, grouped by service and operation', () => {
    expect(llmRequestParams(parseDashboardQuery(''))).toBe('');
  });
});
