// Inventory from the spec-example tenant: Resource Graph paging, REST fallback, roles by scope,
// a 403 on one subscription, role ids resolved by name, the offline cache with its age.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Inventory } from '../../../electron/core/azure/inventory';
import { InventoryCache } from '../../../electron/core/azure/inventory-cache';
import { FIXTURE, loadFixtureTenant, loadSyntheticTenant, roleDefinitions, WRITER_ROLE_ID } from '../../support/fake-azure/tenants';
import { startHarness, type Harness } from '../../support/azure-setup';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { INVENTORY_QUERY } from '../../../electron/core/azure/inventory';
import { json } from '../../support/fake-azure/http-util';

const example = (file: string): Record<string, unknown> => (JSON.parse(readFileSync(new URL(`../../support/fake-azure/fixtures/${file}`, import.meta.url), 'utf8')) as { responses: { 200: { body: Record<string, unknown> } } }).responses[200].body;

const summary = (inv: { fabrics: Array<{ name: string; role: string | null; viaGroup: boolean; deviceCount: number; roleUnknown: boolean }> }) =>
  inv.fabrics.map((f) => [f.name, f.role, f.viaGroup, f.deviceCount, f.roleUnknown]);

describe('Inventory against the fake ARM and Resource Graph', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());
  beforeEach(() => {
    h.resetTenant();
    h.fake.arm.resourceGraph.status = undefined;
    h.fake.arm.resourceGraph.pageSize = 1000;
  });

  const inventory = async (opts: { pageSize?: number; now?: () => Date } = {}): Promise<Inventory> => {
    const c = await h.context({ policy: { maxRetries: 2 } });
    return new Inventory(c.http, c.endpoints, () => c.tokens.principal(), new InventoryCache(path.join(h.home, 'cache')), opts);
  };

  it('reads fabrics and devices in one paged Resource Graph query', async () => {
    const inv = await (await inventory({ pageSize: 1 })).refresh();
    assert.equal(inv.source, 'resource-graph');
    assert.deepEqual(summary(inv), [['example-fabric', 'Writer', false, 2, false], ['fabric-b', 'Reader', true, 0, false]]);
    const graphCalls = h.fake.log.filter((l) => l.path.includes('Microsoft.ResourceGraph'));
    assert.equal(graphCalls.length, 4, 'four rows (two devices, two fabrics), one per page');
    // Devices: one through networkFabricId ("resourceGroups"), one only through its rack (2023 data, "resourcegroups").
    assert.deepEqual(inv.devices.map((d) => [d.name, d.fabricId, d.managementIpv6]), [
      ['example-device', FIXTURE.fabricId, '2F::1'],
      ['example-device-2', FIXTURE.fabricId, '2F::2'],
    ]);
    assert.ok(!inv.subscriptions.some((s) => s.state === 'Disabled'), 'disabled subscriptions are not scanned');
    // Role assignments only where fabrics are.
    const ra = h.fake.log.filter((l) => l.path.includes('roleAssignments')).map((l) => l.path.split('/')[2]!.toLowerCase()).sort();
    assert.deepEqual(ra, [FIXTURE.fabricSub.toLowerCase(), FIXTURE.groupSub].sort());
    assert.ok(h.fake.log.every((l) => !l.path.includes('assignedTo') || decodeURIComponent(l.path).includes(`assignedTo('${h.fake.idp.user.oid}')`)));
  });

  it('falls back to per-subscription REST when Resource Graph is forbidden, and skips a 403 subscription', async () => {
    const viaGraph = await (await inventory()).refresh();
    for (const status of [403, 503]) {
      h.fake.arm.resourceGraph.status = status;
      const inv = await (await inventory()).refresh();
      assert.equal(inv.source, 'rest');
      assert.deepEqual(summary(inv), summary(viaGraph));
      assert.deepEqual(inv.devices, viaGraph.devices);
      assert.ok(inv.warnings.some((w) => /Resource Graph failed/.test(w)));
      assert.ok(inv.warnings.some((w) => w.includes(FIXTURE.forbiddenSub) && /AuthorizationFailed/.test(w)), JSON.stringify(inv.warnings));
    }
  });

  it('never takes a truncated Resource Graph answer for the whole inventory', async () => {
    const viaGraph = await (await inventory()).refresh();
    // A summarize (the old query shape) is answered from its first page only, marked resultTruncated.
    const { http, endpoints } = await h.context();
    h.fake.arm.resourceGraph.pageSize = 1;
    await assert.rejects(http.resourceGraph('inventory', endpoints.armEndpoint, { query: `${INVENTORY_QUERY}\n| summarize count() by kind` }, z.unknown()),
      { code: 'AZURE_BAD_REPLY', message: /Resource Graph truncated the result at 1 rows and offers no next page/ });
    // The inventory query pages with $skipToken and has no summarize.
    assert.doesNotMatch(INVENTORY_QUERY, /summarize/);
    // A truncated page ends in the per-subscription REST listing, with a warning saying why.
    h.fake.faults.push({ service: 'arm', path: 'Microsoft.ResourceGraph', times: 1, respond: () => json(200, { totalRecords: 4, count: 1, resultTruncated: 'true', facets: [], data: [] }) });
    const inv = await (await inventory()).refresh();
    assert.equal(inv.source, 'rest');
    assert.ok(inv.warnings.some((w) => /Resource Graph failed .*truncated/.test(w)), JSON.stringify(inv.warnings));
    assert.deepEqual(summary(inv), summary(viaGraph));
  });

  it('pages the recorded Resource Graph reply format (ResourcesFirstPageQuery / ResourcesNextPageQuery)', async () => {
    const first = example('ResourcesFirstPageQuery.json');
    const next = example('ResourcesNextPageQuery.json');
    const bodies: Array<{ query: string; options: Record<string, unknown> }> = [];
    const replies = [first, next, { ...next, $skipToken: undefined, totalRecords: 9 }];
    h.fake.faults.push({ service: 'arm', path: 'Microsoft.ResourceGraph', times: 3, respond: (req) => { bodies.push(JSON.parse(req.body) as never); return json(200, replies[bodies.length - 1]); } });
    const { http, endpoints } = await h.context();
    const row = z.object({ id: z.string(), name: z.string(), type: z.string(), location: z.string() });
    const rows = await http.resourceGraph('recorded', endpoints.armEndpoint, { subscriptions: ['cfbbd179-59d2-4052-aa06-9270a38aa9d6'], query: 'Resources | project id, name, type, location', pageSize: 3 }, row);
    assert.equal(rows.length, 9);
    assert.deepEqual(bodies.map((b) => b.options.$skipToken), [undefined, first.$skipToken, next.$skipToken]);
    assert.ok(bodies.every((b) => b.query === bodies[0]!.query), 'the same query on every page');
    // The recorded chain says 386 records: ending after 9 is a truncation, not a result.
    h.fake.faults.push({ service: 'arm', path: 'Microsoft.ResourceGraph', times: 2, respond: () => json(200, bodies.length++ === 3 ? first : { ...next, $skipToken: undefined }) });
    await assert.rejects(http.resourceGraph('recorded', endpoints.armEndpoint, { query: 'Resources | project id, name, type, location', pageSize: 3 }, row),
      { code: 'AZURE_BAD_REPLY', message: /Resource Graph ended after 6 of 386 rows/ });
  });

  it('drops a host name or address from Azure that is not one, with a warning naming the device, from either source', async () => {
    const device = [...h.fake.arm.resources.values()].find((r) => /networkdevices\/example-device$/i.test(r.id))!;
    device.properties = { ...device.properties, hostName: 'NFA-Device\n@cert-authority * ssh-ed25519 AAAA', managementIpv4Address: '10.10.10.10 10.0.0.1', managementIpv6Address: '2F::1/100' };
    for (const status of [undefined, 403]) {
      h.fake.arm.resourceGraph.status = status;
      const inv = await (await inventory()).refresh();
      const d = inv.devices.find((x) => x.name === 'example-device')!;
      assert.deepEqual([d.hostName, d.managementIpv4, d.managementIpv6], ['', null, '2F::1']);
      assert.ok(inv.warnings.includes('device example-device: the host name from Azure contains a control character (such as a newline); ignored'), JSON.stringify(inv.warnings));
      assert.ok(inv.warnings.includes('device example-device management IPv4: the address from Azure contains a space; ignored'));
      assert.ok(!JSON.stringify(inv).includes('@cert-authority'), 'the refused value is kept nowhere');
    }
  });

  it('reads operationalState at the api-version that has it, and says so when that version is not offered', async () => {
    const device = [...h.fake.arm.resources.values()].find((r) => /networkdevices\/example-device$/i.test(r.id))!;
    device.properties = { ...device.properties, operationalState: 'Up' };
    h.fake.arm.resourceGraph.status = 403;
    const inv = await (await inventory()).refresh();
    assert.equal(inv.devices.find((d) => d.name === 'example-device')?.operationalState, 'Up');
    assert.ok(h.fake.log.some((l) => /networkDevices\?api-version=2026-01-15-preview/.test(l.path)));
    h.fake.arm.unofferedVersions.add('2026-01-15-preview');
    try {
      const stable = await (await inventory()).refresh();
      assert.equal(stable.devices.find((d) => d.name === 'example-device')?.operationalState, '');
      assert.deepEqual(summary(stable), summary(inv), 'the inventory itself is whole');
      assert.ok(stable.warnings.some((w) => /api-version 2026-01-15-preview is not offered \(NoRegisteredProviderFound\); device operational state unknown/.test(w)), JSON.stringify(stable.warnings));
    } finally {
      h.fake.arm.unofferedVersions.clear();
    }
  });

  it('reports roles as unknown where assignments cannot be read, without failing the scan', async () => {
    h.fake.faults.push({ service: 'arm', path: `/subscriptions/${FIXTURE.groupSub}/providers/Microsoft.Authorization/roleAssignments`, times: 10, reply: { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no read on role assignments' } } } });
    const inv = await (await inventory()).refresh();
    assert.deepEqual(summary(inv), [['example-fabric', 'Writer', false, 2, false], ['fabric-b', null, false, 0, true]]);
    assert.ok(inv.warnings.some((w) => w.includes(FIXTURE.groupSub)));
  });

  it('resolves role ids by name, and uses the known GUIDs when that is not allowed', async () => {
    const custom = '99999999-9999-4999-8999-999999999999';
    h.fake.arm.roleDefinitions = roleDefinitions().map((d) => (d.name === WRITER_ROLE_ID ? { ...d, name: custom, id: d.id.replace(WRITER_ROLE_ID, custom) } : d));
    h.fake.arm.roleAssignments = h.fake.arm.roleAssignments.map((a) => ({ ...a, properties: { ...a.properties, roleDefinitionId: a.properties.roleDefinitionId.replace(WRITER_ROLE_ID, custom) } }));
    assert.equal((await (await inventory()).refresh()).fabrics[0]!.role, 'Writer');

    loadFixtureTenant(h.fake);
    h.fake.faults.push({ service: 'arm', path: 'roleDefinitions', times: 10, reply: { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no' } } } });
    assert.deepEqual(summary(await (await inventory()).refresh()).map((f) => f[1]), ['Writer', 'Reader']);
  });

  it('serves the last good inventory with its age when Azure is unreachable', async () => {
    let now = new Date('2026-11-21T10:00:00Z');
    const inv = await inventory({ now: () => now });
    const live = await inv.load();
    assert.equal(live.fromCache, false);
    now = new Date('2026-11-21T12:30:00Z');
    h.fake.faults.push({ service: 'arm', times: 1000, reply: { status: 503, headers: { 'retry-after-ms': '1' }, body: { error: { code: 'ServiceUnavailable', message: 'down' } } } });
    const offline = await inv.load();
    assert.equal(offline.fromCache, true);
    assert.equal(offline.ageSeconds, 9000);
    assert.equal(offline.fetchedAt, '2026-11-21T10:00:00.000Z');
    assert.match(offline.offlineReason ?? '', /unreachable/);
    assert.deepEqual(offline.devices, live.devices);
    // Another user's cache is never served.
    const other = new Inventory((await h.context()).http, (await h.context()).endpoints, async () => ({ objectId: 'someone-else', tenantId: h.fake.idp.user.tid, username: 'x' }), new InventoryCache(path.join(h.home, 'cache')));
    await assert.rejects(other.load(), { code: 'AZURE_UNREACHABLE' });
  });

  it('serves the cache when throttling outlasts every retry', async () => {
    const inv = await inventory();
    await inv.load();
    h.fake.faults.push({ service: 'arm', times: 1000, reply: { status: 429, headers: { 'retry-after-ms': '1' }, body: { error: { code: 'TooManyRequests', message: 'throttled' } } } });
    const v = await inv.load();
    assert.equal(v.fromCache, true);
    assert.match(v.offlineReason ?? '', /HTTP 429 TooManyRequests/);
  });

  it('does not mask a real refusal with the cache', async () => {
    const inv = await inventory();
    await inv.load();
    h.fake.faults.push({ service: 'arm', path: '/subscriptions?', times: 1, reply: { status: 401, body: { error: { code: 'ExpiredAuthenticationToken', message: 'expired' } } } });
    await assert.rejects(inv.load(), { code: 'AZURE_API', message: /ExpiredAuthenticationToken/ });
  });
  // x-ms-ratelimit-remaining-subscription-reads (throttling.ts, after the ARM throttling doc) on the
  // first replies from a subscription tells the inventory to fetch that subscription's further pages
  // one at a time. Counted: the requests for a next page ($skiptoken), which come after those replies.
  it("paces a subscription's listing once ARM says its budget is low, before any 429", async () => {
    loadSyntheticTenant(h.fake, { subscriptions: 1, fabrics: 3, devicesPerFabric: 2, fabricSubscriptions: 1 });
    h.fake.arm.resourceGraph.status = 403;
    h.fake.arm.armPageSize = 1;
    h.fake.countOnly = 'skiptoken';
    const sub = h.fake.arm.subscriptions[0]!.subscriptionId;
    try {
      // Ample budget: the fabric and device listings page in parallel. The fake holds next-page
      // replies until 2 are in flight at once, so this finishes only if they really were.
      h.fake.hold = { path: 'skiptoken', inFlight: 2 };
      h.fake.maxInFlight = 0;
      const parallel = await (await inventory()).refresh();
      assert.equal(parallel.source, 'rest');
      assert.ok(h.fake.maxInFlight >= 2, `${h.fake.maxInFlight} at once`);

      // 16 reads for the subscription (the scan needs 13): after the first three, 13 left, so one at
      // a time (pacing.ts: one per 10 left below 50, at least one). Next
      // pages are held up to 300 ms for a second one to join them: without pacing one would.
      h.fake.hold = { path: 'skiptoken', inFlight: 2, maxWaitMs: 300 };
      h.fake.log.length = 0;
      h.fake.arm.throttle.reset();
      h.fake.arm.throttle.limits.set(sub.toLowerCase(), 16);
      h.fake.maxInFlight = 0;
      const paced = await (await inventory()).refresh();
      assert.deepEqual(summary(paced), summary(parallel), 'the same inventory');
      const pages = h.fake.log.filter((l) => l.path.includes('skiptoken'));
      assert.ok(pages.length >= 7, `${pages.length} next-page requests`);
      assert.equal(h.fake.maxInFlight, 1, 'one next page in flight at a time');
      assert.equal(h.fake.log.filter((l) => l.status === 429).length, 0);
    } finally {
      h.fake.hold = undefined;
      h.fake.countOnly = undefined;
      h.fake.arm.armPageSize = 1000;
      h.fake.arm.throttle.limits.clear();
      h.fake.arm.throttle.reset();
    }
  });
});
