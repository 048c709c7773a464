import { describe, expect, it } from 'vitest';
import { foldSpanName } from './name-folding.ts';

describe('foldSpanName', () => {
  it.each([
    // spring-petclinic and jaeger-ui-stats fixtures: numeric IDs in the path, one and two digits
    { name: 'GET /api/customer/owners/8/pets/10', folded: 'GET /api/customer/owners/{id}/pets/{id}' },
    { name: 'GET /owners/8/pets/10', folded: 'GET /owners/{id}/pets/{id}' },
    { name: 'GET /items/12345', folded: 'GET /items/{id}' },
    // nodejs-bookstore fixture: a Mongo object ID after a full URL; the port is part of the host, not an ID
    { name: 'get: http://books:3009/books/5e8d389240df3300266ec986', folded: 'get: http://books:3009/books/{hex}' },
    { name: 'put: http://books:3009/books/5E8D389240DF3300266EC986', folded: 'put: http://books:3009/books/{hex}' },
    { name: 'DELETE /carts/3f2b8c1e-9a4d-4b7e-8f00-1c2d3e4f5a6b/items/7', folded: 'DELETE /carts/{uuid}/items/{id}' },
    { name: 'GET /reports/2026-12-01/summary', folded: 'GET /reports/{date}/summary' },
    { name: 'GET /audit/2026-12-01T00:15:30Z', folded: 'GET /audit/{date}' },
    { name: 'GET /users/ada.lovelace+test@example.co.uk/profile', folded: 'GET /users/{email}/profile' },
    { name: 'GET /search?user=42&page=3', folded: 'GET /search?user={id}&page={id}' },
    { name: 'GET /api/traces/4bf92f3577b34da6a3ce929d0e0e4736', folded: 'GET /api/traces/{hex}' },
    { name: 'process order 1234567', folded: 'process order {id}' },
    { name: '/12345', folded: '/{id}' },
  ])('folds $name → $folded', ({ name, folded }) => {
    expect(foldSpanName(name)).toBe(folded);
  });

  it.each([
    // seed workload (lib/testing/seed/workload.ts) and HotROD (hotrod fixtures)
    'POST /v1/actors/:actor/run',
    'POST /v1/generate',
    'gemini::generate_content',
    'llm.provider.call',
    'SELECT actors.actors',
    'narrative::execute_impl',
    'HTTP GET /customer',
    'HTTP GET: /route',
    '/driver.DriverService/FindNearest',
    'FindDriverIDs',
    'SQL SELECT',
    // names templated by their instrumentation stay as they are
    'GET /api/users/:id',
    '/api/services/{service}/operations',
    '/user/{id}/{type}',
    // IDs inside words and short free-standing numbers are part of the name
    'okey-dokey-0',
    'GET /api/v1/pods',
    'SELECT 1',
    'HTTP 200',
    'HTTP/1.1 GET',
    'reviews.default.svc.cluster.local:9080/*',
    'SELECT xincan-goods-dev.goods',
    // hex-looking words: no digit, mixed case, or shorter than 8
    'GET /blobs/deadbeefcafe',
    'GET /blobs/DeadBeef1234',
    'GET /blobs/abc1234',
    'GET /order/12345abc-x',
    '',
  ])('leaves %j alone', (name) => {
    expect(foldSpanName(name)).toBe(name);
  });

  it('merges names that differ only in their IDs and keeps different kinds apart', () => {
    const names = ['GET /orders/1', 'GET /orders/22', 'GET /orders/333', 'GET /orders/3f2b8c1e-9a4d-4b7e-8f00-1c2d3e4f5a6b'];
    expect(new Set(names.map(foldSpanName))).toEqual(new Set(['GET /orders/{id}', 'GET /orders/{uuid}']));
  });
});
