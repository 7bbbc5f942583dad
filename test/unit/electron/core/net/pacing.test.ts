// Pacing by ARM's remaining-request headers, counted at the transport: the test holds every request
// and answers it when it chooses, so "how many are in flight" is exact and needs no clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { AzureHttp } from '../../../../../electron/core/azure/http';
import { allowedInFlight, RatePacer } from '../../../../../electron/core/net/pacing';
import type { TransportRequest, TransportResponse } from '../../../../../electron/core/net/transport';

const ARM = 'https://management.example';
const SUB_A = '1234abcd-0a1b-1234-5678-123456abcdef';
const SUB_B = '99999999-0a1b-1234-5678-123456abcdef';
const url = (sub: string, i: number): string => `${ARM}/subscriptions/${sub}/providers/Microsoft.ManagedNetworkFabric/networkFabrics?api-version=2025-07-15&n=${i}`;

/** A transport that holds each request until `answer` is called. */
function heldTransport() {
  const pending: Array<{ req: TransportRequest; reply: (headers: Record<string, string>, status?: number) => void }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const transport = (req: TransportRequest): Promise<TransportResponse> => new Promise((resolve) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pending.push({ req, reply: (headers, status = 200) => { inFlight--; resolve({ status, headers, body: status === 200 ? '{"value":[]}' : '{"error":{"code":"TooManyRequests","message":"x"}}' }); } });
  });
  return {
    transport, pending,
    inFlight: () => inFlight,
    max: () => maxInFlight,
    resetMax: () => { maxInFlight = inFlight; },
  };
}

const settle = async (): Promise<void> => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };
const page = z.object({ value: z.array(z.unknown()) });

function make(sleep: (ms: number) => Promise<void> = async () => {}) {
  const t = heldTransport();
  const http = new AzureHttp({ transport: t.transport, token: async () => 'tok', origins: { arm: ARM }, sleep });
  const get = (u: string) => http.get('list fabrics', 'arm', u, page);
  return { t, http, get };
}

/** Answers held requests one at a time with `headers` until `done` settles. */
async function drain(t: ReturnType<typeof heldTransport>, headers: Record<string, string>, done: Promise<unknown>): Promise<void> {
  let finished = false;
  void done.finally(() => { finished = true; });
  for (let guard = 0; guard < 1000 && !finished; guard++) {
    await settle();
    const next = t.pending.shift();
    if (next) next.reply(headers);
  }
  await done;
}

describe('RatePacer in AzureHttp', () => {
  it('sends a burst at once while the budget is unknown or ample', async () => {
    const { t, get } = make();
    const burst = Promise.all(Array.from({ length: 12 }, (_, i) => get(url(SUB_A, i))));
    await settle();
    assert.equal(t.inFlight(), 12);
    await drain(t, { 'x-ms-ratelimit-remaining-subscription-reads': '11988' }, burst);
    const again = Promise.all(Array.from({ length: 12 }, (_, i) => get(url(SUB_A, 100 + i))));
    await settle();
    assert.equal(t.inFlight(), 12, 'an ample budget does not pace');
    await drain(t, { 'x-ms-ratelimit-remaining-subscription-reads': '11976' }, again);
  });

  it('runs fewer in flight once the subscription says its reads are running low', async () => {
    const { t, get } = make();
    const first = get(url(SUB_A, 0));
    await settle();
    t.pending.shift()!.reply({ 'x-ms-ratelimit-remaining-subscription-reads': '25' });
    await first;
    t.resetMax();
    const burst = Promise.all(Array.from({ length: 12 }, (_, i) => get(url(SUB_A, i + 1))));
    await settle();
    assert.equal(t.inFlight(), 2, '25 left: two at a time');
    // Another subscription has its own budget and is not held back.
    const other = get(url(SUB_B, 0));
    await settle();
    assert.equal(t.inFlight(), 3);
    t.pending.find((p) => p.req.url.includes(SUB_B))!.reply({ 'x-ms-ratelimit-remaining-subscription-reads': '11999' });
    t.pending.splice(t.pending.findIndex((p) => p.req.url.includes(SUB_B)), 1);
    await other;
    // The budget keeps falling: down to one at a time.
    await drain(t, { 'x-ms-ratelimit-remaining-subscription-reads': '8' }, burst);
    assert.equal(t.max(), 3, 'never more than two for A (plus the one for B)');
    const last = Promise.all(Array.from({ length: 5 }, (_, i) => get(url(SUB_A, 50 + i))));
    await settle();
    assert.equal(t.inFlight(), 1, '8 left: one at a time');
    await drain(t, { 'x-ms-ratelimit-remaining-subscription-reads': '7' }, last);
  });

  it('paces tenant-level requests by the tenant budget, not those that name a subscription', async () => {
    const { t, get } = make();
    const tenantUrl = (i: number): string => `${ARM}/subscriptions?api-version=2022-12-01&n=${i}`;
    const first = get(tenantUrl(0));
    await settle();
    t.pending.shift()!.reply({ 'x-ms-ratelimit-remaining-tenant-reads': '12' });
    await first;
    const tenantBurst = Promise.all(Array.from({ length: 6 }, (_, i) => get(tenantUrl(i + 1))));
    const subBurst = Promise.all(Array.from({ length: 4 }, (_, i) => get(url(SUB_A, i))));
    await settle();
    const inFlight = (tenant: boolean): number => t.pending.filter((p) => p.req.url.includes('/subscriptions?') === tenant).length;
    assert.equal(inFlight(true), 1, 'the tenant allows one at a time');
    assert.equal(inFlight(false), 4, 'subscription requests draw on their own budget');
    t.pending.find((p) => p.req.url.includes('/subscriptions?'))!.reply({ 'x-ms-ratelimit-remaining-tenant-reads': '11999' });
    t.pending.splice(t.pending.findIndex((p) => p.req.url.includes('/subscriptions?')), 1);
    await settle();
    assert.equal(inFlight(true), 5, 'refilled: the rest go at once');
    await drain(t, {}, Promise.all([tenantBurst, subBurst]));
  });

  it('does not hold a slot through a Retry-After wait, and ignores headers that are not counts', async () => {
    let wakeUp = (): void => {};
    const { t, get } = make(() => new Promise<void>((r) => { wakeUp = r; }));
    const first = get(url(SUB_A, 0));
    await settle();
    t.pending.shift()!.reply({ 'x-ms-ratelimit-remaining-subscription-reads': '5' });
    await first;
    const a = get(url(SUB_A, 1));
    const b = get(url(SUB_A, 2));
    await settle();
    assert.deepEqual(t.pending.map((p) => new URL(p.req.url).searchParams.get('n')), ['1']);
    t.pending.shift()!.reply({ 'retry-after': '1', 'x-ms-ratelimit-remaining-subscription-reads': '0' }, 429);
    await settle();
    assert.deepEqual(t.pending.map((p) => new URL(p.req.url).searchParams.get('n')), ['2'], 'the other request took the slot while the first waits out Retry-After');
    wakeUp();
    await drain(t, { 'x-ms-ratelimit-remaining-subscription-reads': 'lots' }, Promise.all([a, b]));

    const pacer = new RatePacer();
    pacer.observe(`${ARM}/subscriptions?api-version=1`, { 'x-ms-ratelimit-remaining-subscription-reads': '1' });
    const release = await pacer.acquire('GET', `${ARM}/subscriptions?api-version=1`);
    const second = await Promise.race([pacer.acquire('GET', `${ARM}/subscriptions?api-version=1`), new Promise((r) => setImmediate(() => r('held')))]);
    assert.notEqual(second, 'held', 'a subscription count on a tenant-level reply is not applied to the tenant');
    release();
  });

  it('maps the remaining count to requests in flight', () => {
    assert.deepEqual([undefined, 12000, 50, 49, 25, 10, 9, 1, 0].map(allowedInFlight), [Infinity, Infinity, Infinity, 4, 2, 1, 1, 1, 1]);
  });
});
