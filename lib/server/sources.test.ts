import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { resolveSource } from './sources.ts';

describe('resolveSource with credentials in JAEGER_URL', () => {
  it('labels the source with the URL redacted and links into Jaeger without the userinfo', async () => {
    const resolved = await resolveSource(undefined, parseEnv({ JAEGER_URL: 'http://user:pass@127.0.0.1:9/jaeger' }));
    expect(resolved.info).toEqual({ mode: 'live', label: 'http://***@127.0.0.1:9/jaeger' });
    expect(resolved.jaegerUiUrl).toBe('http://127.0.0.1:9/jaeger');
    const withToken = await resolveSource(undefined, parseEnv({ JAEGER_URL: 'http://127.0.0.1:9/?api_key=k' }));
    expect(withToken.info.label).toBe('http://127.0.0.1:9/?api_key=***');
  });

  it('drops the userinfo of JAEGER_UI_URL too', async () => {
    const env = parseEnv({ JAEGER_URL: 'http://127.0.0.1:9', JAEGER_UI_URL: 'https://u:p@jaeger.example' });
    expect((await resolveSource(undefined, env)).jaegerUiUrl).toBe('https://jaeger.example');
  });
});
