// The desktop app's core in Azure mode against a fake Azure, in this process: an app home with the
// Entra app registration in settings, a simulated security key, ARM and Graph tokens from the fake,
// and (with `enroll`) a key already on this computer, so the UI opens on its screens, not the wizard.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { composeAzureCore } from '../../electron/app/compose';
import type { Core } from '../../electron/app/dispatcher';
import { createTransport } from '../../electron/core/net/transport';
import { simulatorKeySource } from '../../native/authenticator/key-source';
import { openSimulator, type Simulator } from '../../native/simulator/index';
import { DEFAULT_USER, FakeAzure } from './fake-azure/server';
import { loadFixtureTenant } from './fake-azure/tenants';

const PIN = '135790';

/** `extra`: more settings, environment and a CA for other fakes the core talks to (e.g. Logs Ingestion). */
export async function azureAppCore(t: TestContext, fake: FakeAzure, extra: { settings?: object; env?: NodeJS.ProcessEnv; caPem?: string } = {}): Promise<{ core: Core; sim: Simulator; home: string }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-azure-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, 'ssh'));
  writeFileSync(path.join(home, 'settings.json'), JSON.stringify({
    version: 1, azure: { tenantId: DEFAULT_USER.tid, clientId: '11111111-2222-4333-8444-555555555555' }, ...extra.settings,
  }));
  const sim = await openSimulator({ profile: 'ctap21' });
  const core = await composeAzureCore({
    home, sshDir: path.join(home, 'ssh'), keySource: simulatorKeySource(sim), log: () => undefined,
    env: { ...fake.env(), NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm'), ...extra.env },
    transport: createTransport({ extraCaPem: extra.caPem ? `${fake.caPem}\n${extra.caPem}` : fake.caPem }),
  });
  t.after(() => core.dispose());
  return { core, sim, home };
}

/** A fake Azure holding the spec-example tenant, and the app's core against it. */
export async function startAzureCore(t: TestContext): Promise<{ fake: FakeAzure; core: Core; sim: Simulator; home: string }> {
  const fake = await FakeAzure.start();
  t.after(() => fake.close());
  loadFixtureTenant(fake);
  return { fake, ...await azureAppCore(t, fake) };
}

/** A PIN set and a key enrolled through the contract (PIN prompts answered the same way); its public key line. */
export async function enrollThroughContract(core: Core): Promise<string> {
  const stop = core.onEvent((event, payload) => {
    const prompt = (payload as { prompt: { id: string; kind: string } | null }).prompt;
    if (event !== 'ui:prompt' || !prompt || prompt.kind !== 'pin') return;
    void core.invoke('core:prompt.answer', { id: prompt.id, answer: { kind: 'pin', pin: PIN } });
  });
  try {
    const keys = await core.invoke('core:keys.state', undefined);
    assert.ok(keys.ok);
    const deviceId = (keys.value as { devices: { id: string }[] }).devices[0]?.id ?? '';
    assert.ok((await core.invoke('core:keys.setPin', { deviceId, pin: PIN })).ok);
    const enrolled = await core.invoke('core:keys.enroll', { deviceId });
    assert.ok(enrolled.ok, JSON.stringify(enrolled));
    return (enrolled.value as { publicKey: string }).publicKey;
  } finally {
    stop();
  }
}
