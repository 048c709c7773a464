import { describe, expect, it } from 'vitest';
import { newViewSchema } from './views.ts';

describe('newViewSchema path', () => {
  it.each(['/', '/operation', '/errors', '/upload'])('takes the page %s', (path) => {
    expect(newViewSchema.parse({ name: 'v', query: 'service=a', path }).path).toBe(path);
  });

  it('defaults to the overview', () => {
    expect(newViewSchema.parse({ name: 'v', query: 'service=a' }).path).toBe('/');
  });

  it.each(['//1572395042/phish', '/\\evil.example/x', 'https://evil.example/', '/\t/evil.example', '/operations', '/api/views', '/operation?x=1'])(
    'refuses %j, naming the pages it takes',
    (path) => {
      const result = newViewSchema.safeParse({ name: 'v', query: 'service=a', path });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({
        path: ['path'],
        message: "path must be one of the app's pages: /, /operation, /errors, /upload, /map, /quality, /llm",
      });
    },
  );
});
