// The configured desktop core against the fake Azure (identity provider, Graph, ARM over TLS on
// loopback) with the spec-example tenant, for e2e tests of Azure mode; and a key enrolled through
// the contract, so the app opens on Fabrics instead of the first-run wizard.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeAzureCore } from '../../electron/app/compose';
import type { Core } from '../../electron/app/dispatcher';
import { createTransport } from '../../electron/core/net/transport';
import { simulatorKeySource } from '../../native/authenticator/key-source';
import { openSimulator, type Simulator } from '../../native/simulator/index';
import { DEFAULT_USER, FakeAzure } from './fake-azure/server';
import { loadFixtureTenant } from './fake-azure/tenants';

interface TestContext { after(fn: () => Promise<void> | void): void }

export async function startAzureCore(t: TestContext): Promise<{ fake: FakeAzure; core: Core & { dispose(): Promise<void> }; sim: Simulator }> {
  const fake = await FakeAzure.start();
  t.after(() => fake.close());
  loadFixtureTenant(fake);
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-azure-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, 'ssh'));
  writeFileSync(path.join(home, 'settings.json'), JSON.stringify({
    version: 1, azure: { tenantId: DEFAULT_USER.tid, clientId: '11111111-2222-4333-8444-555555555555' },
  }));
  const sim = await openSimulator({ profile: 'ctap21' });
  const core = await composeAzureCore({
    home, sshDir: path.join(home, 'ssh'), keySource: simulatorKeySource(sim), log: () => undefined,
    env: { ...fake.env(), NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm') },
    transport: createTransport({ extraCaPem: fake.caPem }),
  });
  t.after(() => core.dispose());
  return { fake, core, sim };
}

/** Sets a PIN and enrolls a key through the contract, answering the PIN prompts. */
export async function enrollThroughContract(core: Core, pin: string): Promise<void> {
  const stop = core.onEvent((event, payload) => {
    const prompt = (payload as { prompt: { id: string; kind: string } | null }).prompt;
    if (event !== 'ui:prompt' || !prompt || prompt.kind !== 'pin') return;
    void core.invoke('core:prompt.answer', { id: prompt.id, answer: { kind: 'pin', pin } });
  });
  try {
    const keys = await core.invoke('core:keys.state', undefined);
    assert.ok(keys.ok);
    const deviceId = (keys.value as { devices: { id: string }[] }).devices[0]?.id ?? '';
    assert.ok((await core.invoke('core:keys.setPin', { deviceId, pin })).ok);
    const enrolled = await core.invoke('core:keys.enroll', { deviceId });
    assert.ok(enrolled.ok, JSON.stringify(enrolled));
  } finally {
    stop();
  }
}
