// The HTTP layer against the fake over TLS: Retry-After honoured, bounded retries, timeouts,
// malformed bodies, error envelopes with request ids, nextLink paging.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { AzureApiError, AzureReplyError, AzureUnreachableError } from '../../../electron/core/azure/errors';
import { retryAfterMs } from '../../../electron/core/azure/http';
import { startHarness, type Harness } from '../../support/azure-setup';
import { loadFixtureTenant } from '../../support/fake-azure/tenants';

const subs = z.object({ value: z.array(z.object({ subscriptionId: z.string() }).passthrough()) }).passthrough();

describe('AzureHttp against the fake', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    loadFixtureTenant(h.fake);
  });
  after(() => h.close());
  beforeEach(() => {
    h.fake.faults = [];
    h.fake.log.length = 0;
    h.waits.length = 0;
  });

  const subsUrl = (): string => `${h.fake.urls.arm}/subscriptions?api-version=2022-12-01`;

  it('parses Retry-After as seconds, an HTTP date, or the -ms headers', () => {
    assert.equal(retryAfterMs({ 'retry-after': '3' }), 3000);
    assert.equal(retryAfterMs({ 'retry-after': new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toUTCString() }, Date.UTC(2026, 0, 1)), 10_000);
    assert.equal(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }), 250);
    assert.equal(retryAfterMs({ 'x-ms-retry-after-ms': '40' }), 40);
    assert.equal(retryAfterMs({ 'retry-after': 'soon' }), undefined);
  });

  it('waits as long as a 429 asks, plus bounded jitter, then succeeds', async () => {
    h.fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 2, reply: { status: 429, headers: { 'retry-after': '2' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } } });
    const { http } = await h.context();
    const r = await http.get('list subscriptions', 'arm', subsUrl(), subs);
    assert.ok(r.value.length > 0);
    assert.equal(h.fake.count('arm'), 3);
    assert.equal(h.waits.length, 2);
    for (const w of h.waits) assert.ok(w >= 2000 && w <= 3000, `waited ${w} ms`);
  });

  it('gives up after the retry budget with a typed error carrying the request id', async () => {
    h.fake.faults.push({ service: 'arm', times: 100, reply: { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'down' } } } });
    const { http } = await h.context({ policy: { maxRetries: 3 } });
    await assert.rejects(http.get('list subscriptions', 'arm', subsUrl(), subs), (err: unknown) => {
      assert.ok(err instanceof AzureUnreachableError);
      assert.match(err.message, /list subscriptions: Azure is unreachable \(HTTP 503 ServiceUnavailable after 4 attempts, request id req-4\)/);
      return true;
    });
    assert.equal(h.fake.count('arm'), 4, 'bounded: 1 try + 3 retries');
    // Exponential backoff without Retry-After grows.
    assert.ok(h.waits[2]! > h.waits[0]!);
  });

  it('retries a reply that never comes within the timeout', async () => {
    h.fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1, delayMs: 1500 });
    const { http } = await h.context({ policy: { timeoutMs: 500 } });
    const r = await http.get('list subscriptions', 'arm', subsUrl(), subs);
    assert.ok(r.value.length > 0);
    assert.equal(h.waits.length, 1);
    // The abandoned request is still answered later: let it land here, not in the next test's log.
    for (let i = 0; i < 200 && h.fake.count('arm') < 2; i++) await new Promise((done) => setTimeout(done, 50));
  });

  it('rejects a malformed or misshapen body without retrying', async () => {
    h.fake.faults.push({ service: 'arm', times: 1, reply: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"value": [' } });
    const { http } = await h.context();
    await assert.rejects(http.get('list subscriptions', 'arm', subsUrl(), subs), (e: unknown) => e instanceof AzureReplyError && /body is not JSON/.test(e.message));
    h.fake.faults.push({ service: 'arm', times: 1, reply: { status: 200, body: { value: [{ displayName: 'no id' }] } } });
    await assert.rejects(http.get('list subscriptions', 'arm', subsUrl(), subs), (e: unknown) => e instanceof AzureReplyError && /value\.0\.subscriptionId/.test(e.message));
    assert.equal(h.fake.count('arm'), 2);
  });

  it('turns Graph and ARM error envelopes into typed errors with request ids', async () => {
    const { http } = await h.context();
    await assert.rejects(http.get('read extension', 'graph', `${h.fake.urls.graph}/v1.0/me/extensions/none`, z.unknown()), (e: unknown) => {
      assert.ok(e instanceof AzureApiError);
      assert.equal(e.code, 'AZURE_NOT_FOUND');
      assert.equal(e.apiCode, 'Request_ResourceNotFound');
      assert.equal(e.requestId, 'req-1');
      return true;
    });
    h.fake.arm.forbiddenSubscriptions.add('72ac930a-f34e-42d8-b06d-dc2a9e12ed71');
    await assert.rejects(http.get('list fabrics', 'arm', `${h.fake.urls.arm}/subscriptions/72ac930a-f34e-42d8-b06d-dc2a9e12ed71/providers/Microsoft.ManagedNetworkFabric/networkFabrics?api-version=2025-07-15`, z.unknown()),
      { code: 'AZURE_FORBIDDEN', message: /list fabrics failed: HTTP 403 AuthorizationFailed: .* \(request id req-2\)/ });
    h.fake.arm.forbiddenSubscriptions.delete('72ac930a-f34e-42d8-b06d-dc2a9e12ed71');
  });

  it('never sends a token to an origin other than its resource\'s configured endpoint, nor shows it in errors', async () => {
    const { http, tokens } = await h.context();
    const armToken = await tokens.token('arm');
    await assert.rejects(http.get('read me', 'arm', `${h.fake.urls.graph}/v1.0/me`, z.unknown()), (e: unknown) => {
      assert.ok(e instanceof AzureReplyError);
      assert.match(e.message, /read me: .*a link points to https:\/\/127\.0\.0\.1:\d+, not the configured arm endpoint; not followed, no token sent/);
      assert.ok(!e.message.includes(armToken));
      return true;
    });
    assert.equal(h.fake.count('graph'), 0, 'nothing was sent');
  });

  it('retries only what can change: 408 is retried, 400 and a refused reply size are not', async () => {
    const { http } = await h.context({ policy: { maxReplyBytes: 1024 } });
    h.fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1, reply: { status: 408, body: { error: { code: 'RequestTimeout', message: 'slow' } } } });
    await assert.rejects(http.get('list subscriptions', 'arm', subsUrl(), subs), (e: unknown) => e instanceof AzureReplyError && /reply larger than 1 KB refused/.test(e.message));
    assert.equal(h.fake.count('arm'), 2, '408 once, then the oversized page once');
    h.fake.log.length = 0;
    h.fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 5, reply: { status: 400, body: { error: { code: 'BadRequest', message: 'no' } } } });
    await assert.rejects(http.get('list subscriptions', 'arm', subsUrl(), subs), { code: 'AZURE_API' });
    assert.equal(h.fake.count('arm'), 1);
  });

  it('waits out ARM throttling (429 + Retry-After when x-ms-ratelimit-remaining reaches 0) and goes on', async () => {
    h.fake.arm.throttle.limit = 2;
    h.fake.arm.throttle.reset();
    try {
      const { http } = await h.context();
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await http.send({ operation: 'list subscriptions', resource: 'arm', method: 'GET', url: subsUrl(), schema: subs });
        remaining.push(r.headers['x-ms-ratelimit-remaining-tenant-reads'] ?? ''); // the subscription list names no subscription
      }
      assert.deepEqual(remaining, ['1', '0', '1']);
      assert.deepEqual(h.fake.log.map((l) => l.status), [200, 200, 429, 200]);
      assert.equal(h.waits.length, 1);
      assert.ok(h.waits[0]! >= 1000 && h.waits[0]! <= 2000, `waited ${h.waits[0]} ms`);
    } finally {
      h.fake.arm.throttle.limit = undefined;
    }
  });

  it('follows nextLink verbatim across pages', async () => {
    h.fake.arm.armPageSize = 2;
    try {
      const { http } = await h.context();
      const all = await http.listAll('list subscriptions', 'arm', subsUrl(), z.object({ subscriptionId: z.string() }).passthrough());
      assert.equal(all.length, h.fake.arm.subscriptions.length);
      assert.equal(new Set(all.map((s) => s.subscriptionId)).size, all.length);
      assert.equal(h.fake.count('arm'), Math.ceil(all.length / 2));
    } finally {
      h.fake.arm.armPageSize = 1000;
    }
  });
});
