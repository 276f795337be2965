// Kibana's Elasticsearch client against Sketchgate and, for comparison, against Elasticsearch directly.
// Env: ES_DIRECT, ES_PROXY (base URLs), INDEX (an index name this run owns).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, errors } from '@elastic/elasticsearch';

const direct = new Client({ node: process.env.ES_DIRECT });
// As Kibana configures it: retries on, vendored media types (the 8.x client's default), compression off.
const proxy = new Client({ node: process.env.ES_PROXY, maxRetries: 3, requestTimeout: 30000 });
const index = process.env.INDEX;

/** Removes fields that differ between two identical requests (timings). */
function stable(body) {
  return JSON.parse(JSON.stringify(body, (key, value) => (key === 'took' ? undefined : value)));
}

test('health poll GET /_nodes with filter_path gives the same answer', async () => {
  const query = { filter_path: 'nodes.*.version,nodes.*.http.publish_address,nodes.*.ip' };
  const viaProxy = await proxy.transport.request({ method: 'GET', path: '/_nodes', querystring: query }, { meta: true });
  const viaDirect = await direct.transport.request({ method: 'GET', path: '/_nodes', querystring: query });
  assert.equal(viaProxy.statusCode, 200);
  assert.equal(viaProxy.headers['x-elastic-product'], 'Elasticsearch');
  assert.deepEqual(viaProxy.body, viaDirect);
});

test('cluster settings with defaults give the same answer', async () => {
  const viaProxy = await proxy.cluster.getSettings({ include_defaults: true, flat_settings: true });
  const viaDirect = await direct.cluster.getSettings({ include_defaults: true, flat_settings: true });
  assert.deepEqual(viaProxy, viaDirect);
});

test('index creation and bulk load with x-ndjson content type', async () => {
  await proxy.indices.create({
    index,
    mappings: { properties: { '@timestamp': { type: 'date' }, 'user.id': { type: 'keyword' }, country: { type: 'keyword' } } },
  });
  const operations = [];
  for (let i = 0; i < 500; i++) {
    operations.push({ index: { _index: index, _id: String(i) } });
    operations.push({ '@timestamp': new Date(Date.UTC(2024, 4, 1) + i * 60000).toISOString(), 'user.id': `u${i % 37}`, country: ['KR', 'DE', 'US'][i % 3] });
  }
  const result = await proxy.bulk({ operations, refresh: true });
  assert.equal(result.errors, false);
  assert.equal(result.items.length, 500);
});

test('search, count and msearch give the same answers as direct', async () => {
  const search = {
    index,
    size: 3,
    sort: [{ '@timestamp': 'desc' }],
    query: { bool: { filter: [{ range: { '@timestamp': { gte: '2024-05-01T01:00:00.000Z', lte: '2024-05-01T05:00:00.000Z' } } }] } },
    aggs: { users: { cardinality: { field: 'user.id' } }, by_country: { terms: { field: 'country' } } },
  };
  assert.deepEqual(stable(await proxy.search(search)), stable(await direct.search(search)));
  assert.deepEqual(await proxy.count({ index }), await direct.count({ index }));
  const searches = [{ index }, { size: 0, query: { term: { country: 'KR' } } }, { index }, { size: 1, query: { match_all: {} }, sort: ['_doc'] }];
  assert.deepEqual(stable(await proxy.msearch({ searches })), stable(await direct.msearch({ searches })));
});

test('a 404 from Elasticsearch stays a 404 ResponseError, not a product-check failure', async () => {
  await assert.rejects(proxy.get({ index, id: 'missing' }), (err) => {
    assert.ok(err instanceof errors.ResponseError, `expected ResponseError, got ${err.name}: ${err.message}`);
    assert.equal(err.meta.statusCode, 404);
    return true;
  });
  await assert.rejects(proxy.search({ index: 'no-such-index-sketchgate' }), (err) => {
    assert.ok(err instanceof errors.ResponseError, `expected ResponseError, got ${err.name}`);
    assert.equal(err.meta.body.error.type, 'index_not_found_exception');
    return true;
  });
});

test("Sketchgate's own answers pass the client's product check", async () => {
  const health = await proxy.transport.request({ method: 'GET', path: '/_sketchgate/health' }, { meta: true });
  assert.equal(health.statusCode, 200);
  assert.equal(health.body.status, 'ready');
});
