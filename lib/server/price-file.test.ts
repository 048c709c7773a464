import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.ts';
import { configuredPriceFile, readPriceFile } from './price-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'spanlens-prices-'));
function priceFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('SPANLENS_PRICES', () => {
  it('is a path, unset when empty', () => {
    expect(parseEnv({ SPANLENS_PRICES: '/etc/spanlens/prices.json' }).SPANLENS_PRICES).toBe('/etc/spanlens/prices.json');
    expect(parseEnv({ SPANLENS_PRICES: '' }).SPANLENS_PRICES).toBeUndefined();
    expect(parseEnv({}).SPANLENS_PRICES).toBeUndefined();
  });
});

describe('readPriceFile', () => {
  it('reads the models with their prices, cached price optional', async () => {
    const path = priceFile(
      'good.json',
      JSON.stringify({
        models: { 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 }, free: { inputPerMTok: 0, outputPerMTok: 0 } },
      }),
    );
    expect(await readPriceFile(path)).toEqual({
      models: { 'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 }, free: { inputPerMTok: 0, outputPerMTok: 0 } },
    });
  });

  it.each([
    [
      'a price given as text',
      { models: { 'gpt-4o': { inputPerMTok: '2.5', outputPerMTok: 10 } } },
      'models["gpt-4o"].inputPerMTok must be a number (USD per million tokens)',
    ],
    ['a negative price', { models: { m: { inputPerMTok: 1, outputPerMTok: -1 } } }, 'models["m"].outputPerMTok must be 0 or more'],
    ['a missing output price', { models: { m: { inputPerMTok: 1 } } }, 'models["m"].outputPerMTok must be a number (USD per million tokens)'],
    [
      'a misspelt field',
      { models: { m: { inputPerMTok: 1, outputPerMTok: 2, cachedPerMTok: 0.5 } } },
      'models["m"] has an unknown field cachedPerMTok',
    ],
    ['a model that is no object', { models: { m: 3 } }, 'models["m"] must be an object'],
    ['no models object', { model: {} }, 'models must be an object of model names to prices'],
    ['a field beside models', { models: {}, currency: 'EUR' }, 'the file has an unknown field currency (only "models")'],
    ['an array', [], 'the file must be an object'],
  ])('refuses %s, naming the file and the entry', async (_case, content, reason) => {
    const path = priceFile('bad.json', JSON.stringify(content));
    const error = await readPriceFile(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, code: 'invalid_price_file' });
    expect((error as Error).message).toContain(`SPANLENS_PRICES=${path}`);
    expect((error as Error).message).toBe(`The price file SPANLENS_PRICES=${path} cannot be used: ${reason}. Fix it and restart Spanlens.`);
  });

  it('refuses a file that is not JSON or cannot be read', async () => {
    const notJson = priceFile('not.json', '{"models": {');
    await expect(readPriceFile(notJson)).rejects.toThrow(`The price file SPANLENS_PRICES=${notJson} cannot be used: it is not JSON`);
    await expect(readPriceFile(join(dir, 'missing.json'))).rejects.toThrow('cannot be used: it cannot be read (ENOENT)');
  });

  it('is read once per process for the configured path', async () => {
    const path = priceFile('once.json', JSON.stringify({ models: { a: { inputPerMTok: 1, outputPerMTok: 2 } } }));
    const first = configuredPriceFile(path);
    await first;
    writeFileSync(path, JSON.stringify({ models: { b: { inputPerMTok: 1, outputPerMTok: 2 } } }));
    expect(configuredPriceFile(path)).toBe(first);
    expect(Object.keys((await first)?.models ?? {})).toEqual(['a']);
    expect(configuredPriceFile(undefined)).toBeNull();
  });
});
