// `nbg fabrics` against a hostile ARM endpoint: endless, repeating and foreign nextLinks, a page of
// 60,000 repeated subscriptions, Retry-After: 100000 and a 70 MB reply. Each run ends within the
// action's deadline (NBG_AZURE_DEADLINE) with a clear reason and the cached inventory, and no
// token ever reaches an origin other than the configured endpoints.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../../../electron/cli/main';
import { FakeAzure } from '../../support/fake-azure/server';
import { json, type FakeReply, type FakeRequest } from '../../support/fake-azure/http-util';
import { loadFixtureTenant } from '../../support/fake-azure/tenants';
import { skPubLine } from '../../support/fake-azure/keys';

interface FabricsOut { fromCache: boolean; fabrics: Array<{ name: string }> }

describe('nbg fabrics against a hostile endpoint', () => {
  let fake: FakeAzure;
  let foreign: FakeAzure;
  let home: string;
  let env: NodeJS.ProcessEnv;

  const nbg = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdin: new PassThrough(),
      stdout: new Writable({ write(c, _e, cb) { stdout += String(c); cb(); } }),
      stderr: new Writable({ write(c, _e, cb) { stderr += String(c); cb(); } }),
      env,
    });
    return { code, stdout, stderr };
  };
  const fabrics = async (): Promise<{ code: number; out: FabricsOut; stderr: string }> => {
    const r = await nbg(['fabrics', '--json']);
    assert.equal(r.code, 0, r.stderr);
    return { code: r.code, out: JSON.parse(r.stdout) as FabricsOut, stderr: r.stderr };
  };
  const subscriptionsPage = (req: FakeRequest, nextLink: string | undefined, value: unknown[] = []): FakeReply =>
    json(200, { value, ...(nextLink ? { nextLink } : {}), _asked: req.url.search });
  const listSubscriptions = (): number => fake.count('arm', (r) => r.path.startsWith('/subscriptions?'));

  before(async () => {
    [fake, foreign] = await Promise.all([FakeAzure.start(), FakeAzure.start()]);
    loadFixtureTenant(fake);
    home = mkdtempSync(path.join(os.tmpdir(), 'nbg-cli-hostile-'));
    env = {
      ...fake.env(), NBG_HOME: home, PATH: process.env.PATH, NBG_AZURE_DEADLINE: '20',
      NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm'),
    };
    // The last good inventory, which every hostile run below must fall back to.
    const seeded = await fabrics();
    assert.equal(seeded.out.fromCache, false);
    assert.deepEqual(seeded.out.fabrics.map((f) => f.name), ['example-fabric', 'fabric-b']);
  });
  after(async () => {
    await Promise.all([fake.close(), foreign.close()]);
    rmSync(home, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.faults = [];
    fake.log.length = 0;
    foreign.log.length = 0;
  });

  const assertCached = (r: { out: FabricsOut; stderr: string }, reason: RegExp): void => {
    assert.equal(r.out.fromCache, true);
    assert.deepEqual(r.out.fabrics.map((f) => f.name), ['example-fabric', 'fabric-b']);
    assert.match(r.stderr, /showing the inventory cached \d+ s ago/);
    assert.match(r.stderr, reason);
  };

  it('stops an endless nextLink at the page cap or the deadline', async () => {
    let n = 0;
    fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1e9, respond: (req) => subscriptionsPage(req, `${fake.urls.arm}/subscriptions?api-version=2022-12-01&$skiptoken=${++n}`) });
    const r = await fabrics();
    assertCached(r, /list subscriptions: .*(more than 500 pages; the listing does not end|allowed for this action)/);
    assert.ok(listSubscriptions() <= 500, `${listSubscriptions()} pages read`);
  });

  it('refuses a nextLink that repeats a page', async () => {
    fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1e9, respond: (req) => subscriptionsPage(req, `${fake.urls.arm}${req.url.pathname}${req.url.search}`) });
    const r = await fabrics();
    assertCached(r, /nextLink repeats a page already read/);
    assert.equal(listSubscriptions(), 1);
  });

  it('never follows a nextLink to another origin, so the token stays home', async () => {
    fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1, respond: (req) => subscriptionsPage(req, `${foreign.urls.arm}/subscriptions?api-version=2022-12-01&$skiptoken=2`) });
    const r = await fabrics();
    assertCached(r, /nextLink points to https:\/\/127\.0\.0\.1:\d+, not https:\/\/127\.0\.0\.1:\d+; not followed, no token sent/);
    assert.equal(foreign.log.length, 0, 'the foreign origin received no request at all');
  });

  it('does not wait out Retry-After: 100000; it says so and serves the cache', async () => {
    fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1e9, reply: { status: 429, headers: { 'retry-after': '100000' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } } });
    const r = await fabrics();
    assertCached(r, /Azure asked to wait 100000 s before trying again/);
    assert.equal(listSubscriptions(), 1, 'asked once, no retry that could not finish in time');
  });

  it('refuses a 70 MB reply and does not ask again', async () => {
    const huge = `{"value":[${'"x",'.repeat(70 * 1024 * 1024 / 4)}"x"]}`;
    fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1e9, reply: { status: 200, headers: { 'content-type': 'application/json' }, body: huge } });
    const r = await fabrics();
    assertCached(r, /reply larger than 32 MB refused/);
    assert.equal(listSubscriptions(), 1);
  });

  it('ends at the deadline when every answer is slow, naming the budget', async () => {
    env = { ...env, NBG_AZURE_DEADLINE: '2' };
    try {
      fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1e9, delayMs: 5000, reply: { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'down' } } } });
      const r = await fabrics();
      assertCached(r, /no complete answer within the 2 s allowed for this action/);
    } finally {
      env = { ...env, NBG_AZURE_DEADLINE: '20' };
    }
  });
  it('bounds a cluster listing by the same deadline, with a clear message (no cache there)', async () => {
    env = { ...env, NBG_AZURE_DEADLINE: '2' };
    try {
      fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1e9, delayMs: 5000, reply: { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'down' } } } });
      const r = await nbg(['bmm', 'list', 'clusterName']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /list subscriptions: Azure is unreachable \(no complete answer within the 2 s allowed for this action/);
    } finally {
      env = { ...env, NBG_AZURE_DEADLINE: '20' };
    }
  });

  // Graph (the key in Entra) has no cache: a stalling Graph ends at the same deadline with a clear message.
  it('ends a key upload and a key check at the deadline when Graph stalls', async () => {
    const pubFile = path.join(home, 'stall.pub');
    writeFileSync(pubFile, skPubLine());
    env = { ...env, NBG_AZURE_DEADLINE: '2' };
    try {
      fake.faults.push({ service: 'graph', path: '/v1.0/me', times: 1e9, delayMs: 60_000, reply: { status: 200, body: {} } });
      const up = await nbg(['keys', 'upload', '--pub', pubFile]);
      assert.equal(up.code, 1);
      assert.match(up.stderr, /read signed-in user \(Graph \/me\): Azure is unreachable \(no complete answer within the 2 s allowed for this action\)/);
      assert.equal(fake.graph.writes.length, 0);
      const check = await nbg(['keys', 'check', '--pub', pubFile]);
      assert.match(check.stdout, /entra-key\s+could not read the key in Entra: list user extensions \(Graph\): .*within the 2 s allowed/);

      // Stalled after the write was sent: the message says the key may be stored and a retry is safe.
      fake.faults = [{ service: 'graph', method: 'POST', path: '/v1.0/me/extensions', times: 1, delayMs: 60_000, reply: { status: 201, body: {} } }];
      const late = await nbg(['keys', 'upload', '--pub', pubFile]);
      assert.equal(late.code, 1);
      assert.match(late.stderr, /create key extension \(Graph POST\): .*within the 2 s allowed for this action; the key may be stored in Entra already: uploading again is safe/);
      fake.faults = [];
      const again = await nbg(['keys', 'upload', '--pub', pubFile]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /Public key uploaded in Microsoft Entra ID/);
    } finally {
      env = { ...env, NBG_AZURE_DEADLINE: '20' };
      fake.graph.extensions = [];
    }
  });

  // Last: it succeeds live and so replaces the cached inventory the others fall back to.
  it('keeps one of each subscription from a page of 60,000 repeats', async () => {
    const sub = { id: '/subscriptions/1234ABCD-0A1B-1234-5678-123456ABCDEF', subscriptionId: '1234ABCD-0A1B-1234-5678-123456ABCDEF', displayName: 'Example Subscription', state: 'Enabled' };
    fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1, respond: (req) => subscriptionsPage(req, undefined, Array.from({ length: 60_000 }, () => sub)) });
    const r = await fabrics();
    assert.equal(r.out.fromCache, false, r.stderr);
    assert.deepEqual(r.out.fabrics.map((f) => f.name), ['example-fabric']);
    const rg = fake.log.filter((l) => l.path.toLowerCase().startsWith('/providers/microsoft.resourcegraph'));
    assert.equal(rg.length, 1, 'one Resource Graph query for the one distinct subscription');
  });
});
