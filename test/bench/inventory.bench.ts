// Full inventory of a synthetic tenant (200 subscriptions, 500 fabrics, 25,000 devices) behind
// the fake Azure with 50 ms per request: requests and wall time for the app's path (Resource
// Graph + assignedTo where fabrics are), its REST fallback, and a naive per-subscription walk.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createAzureContext, type AzureContext } from '../../electron/core/azure/context';
import { createTransport } from '../../electron/core/net/transport';
import { FakeAzure } from '../support/fake-azure/server';
import { loadSyntheticTenant } from '../support/fake-azure/tenants';

const SIZE = { subscriptions: 200, fabrics: 500, devicesPerFabric: 50, fabricSubscriptions: 10 };
const LATENCY_MS = 50;
const TARGET = { requests: 30, ms: 2000 };

const fake = await FakeAzure.start();
const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-bench-inventory-'));
try {
  loadSyntheticTenant(fake, SIZE);
  fake.latencyMs = LATENCY_MS;
  const context = (): Promise<AzureContext> => createAzureContext({
    env: { ...fake.env(), NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm') },
    appHome: home, transport: createTransport({ extraCaPem: fake.caPem }), tokenSource: 'env',
  });

  const measure = async (label: string, run: (c: AzureContext) => Promise<{ fabrics: number; devices: number }>) => {
    const c = await context();
    const before = fake.log.length;
    const t0 = performance.now();
    const r = await run(c);
    const ms = performance.now() - t0;
    return { label, requests: fake.log.length - before, clientRequests: c.http.requestCount, ms: Math.round(ms), ...r };
  };

  const appRun = (label: string) => measure(label, async (c) => {
    const inv = await c.inventory.refresh();
    return { fabrics: inv.fabrics.length, devices: inv.devices.length };
  });
  // The first scan in a fresh process pays for TLS handshakes and JIT warm-up; later ones do not.
  const app = await appRun('app: Resource Graph + assignedTo (first, cold)');
  const warm = [];
  for (let i = 0; i < 3; i++) warm.push(await appRun('app: Resource Graph + assignedTo (warm)'));
  const appWarm = warm.sort((a, b) => a.ms - b.ms)[1]!;
  appWarm.label = 'app: Resource Graph + assignedTo (warm, median of 3)';
  fake.arm.resourceGraph.status = 403;
  const fallback = await measure('app fallback: REST per subscription (8 parallel)', async (c) => {
    const inv = await c.inventory.refresh();
    return { fabrics: inv.fabrics.length, devices: inv.devices.length };
  });
  fake.arm.resourceGraph.status = undefined;
  const naive = await measure('naive: every subscription, one after another', async (c) => {
    const any = z.object({ id: z.string() }).passthrough();
    const subs = await c.http.listAll('subs', 'arm', `${c.endpoints.armEndpoint}/subscriptions?api-version=2022-12-01`, z.object({ subscriptionId: z.string() }).passthrough());
    let fabrics = 0;
    let devices = 0;
    for (const s of subs) {
      const base = `${c.endpoints.armEndpoint}/subscriptions/${s.subscriptionId}/providers`;
      fabrics += (await c.http.listAll('fabrics', 'arm', `${base}/Microsoft.ManagedNetworkFabric/networkFabrics?api-version=2025-07-15`, any)).length;
      await c.http.listAll('racks', 'arm', `${base}/Microsoft.ManagedNetworkFabric/networkRacks?api-version=2025-07-15`, any);
      devices += (await c.http.listAll('devices', 'arm', `${base}/Microsoft.ManagedNetworkFabric/networkDevices?api-version=2025-07-15`, any)).length;
      await c.http.listAll('roles', 'arm', `${base}/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(`assignedTo('${fake.idp.user.oid}')`)}`, any);
    }
    return { fabrics, devices };
  });

  const rows = [app, appWarm, fallback, naive];
  console.log(`synthetic tenant: ${SIZE.subscriptions} subscriptions, ${SIZE.fabrics} fabrics, ${SIZE.fabrics * SIZE.devicesPerFabric} devices; ${LATENCY_MS} ms per request`);
  console.log(`fake Azure runs in this process; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${'path'.padEnd(54)} ${'requests'.padStart(8)} ${'wall ms'.padStart(8)} ${'fabrics'.padStart(8)} ${'devices'.padStart(8)}`);
  for (const r of rows) console.log(`${r.label.padEnd(54)} ${String(r.requests).padStart(8)} ${String(r.ms).padStart(8)} ${String(r.fabrics).padStart(8)} ${String(r.devices).padStart(8)}`);
  const consistent = rows.every((r) => r.fabrics === SIZE.fabrics && r.devices === SIZE.fabrics * SIZE.devicesPerFabric);
  const met = app.requests <= TARGET.requests && app.ms <= TARGET.ms;
  console.log(`target <= ${TARGET.requests} requests and <= ${TARGET.ms} ms: ${met ? 'MET' : 'MISSED'}; all paths found the whole tenant: ${consistent}`);
  console.log(JSON.stringify({ bench: 'inventory', size: SIZE, latencyMs: LATENCY_MS, results: rows }));
  process.exitCode = met && consistent ? 0 : 1;
} finally {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
}
