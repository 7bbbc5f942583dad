import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../../../electron/app/dispatcher';
import type { InventoryService } from '../../../../electron/core/azure/inventory-service';
import type { KeysService } from '../../../../electron/core/keys/keys-service';
import { PromptBroker } from '../../../../electron/core/prompts/broker';
import { SettingsStore } from '../../../../electron/core/settings/store';
import { ConnectPlanner, deviceUserName, type ConnectPlan } from '../../../../electron/core/ssh/sessions/connect-plan';
import type { SessionsService } from '../../../../electron/core/ssh/sessions/sessions-service';
import type { SessionInfo } from '../../../../electron/shared/sessions';

function setup(t: { after: (fn: () => void) => void }, extra: Partial<Parameters<typeof createCore>[0]> = {}) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-core-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const broker = new PromptBroker();
  const settings = SettingsStore.inHome(home);
  // The planner over the test inventory, as the services factory builds it for the drill fabric.
  const planner = extra.inventory ? new ConnectPlanner({
    settings: () => settings.get(), devices: (f) => inventory.devices(f), identity: async () => null,
    inventoryJumpHost: (f) => inventory.jumpHost?.(f) ?? null, drill: true,
  }) : undefined;
  const core = createCore({ version: '0.1.0', drill: true, settings, broker, ...(planner ? { planner } : {}), ...extra });
  return { core, broker };
}

const FABRIC = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedNetworkFabric/networkFabrics/f1';
const inventory: InventoryService = {
  fabrics: async () => [],
  devices: async () => [
    { id: 'dev-1', name: 'leaf-01', fabricId: FABRIC, role: 'ToR', hostName: 'Leaf-01', managementIpv4: '127.0.0.3',
      managementIpv6: 'fd00::3/64' },
    { id: 'dev-2', name: 'leaf-02', fabricId: FABRIC, role: 'ToR', hostName: 'leaf-02', managementIpv6: 'fd00::4/64' },
  ],
  jumpHost: () => ({ host: '127.0.0.2', port: 2222, user: 'jump' }),
};

test('unknown methods, bad input and missing services come back as typed replies, never throws', async (t) => {
  const { core } = setup(t);
  assert.deepEqual((await core.invoke('core:nope', undefined)).ok, false);
  const bad = await core.invoke('core:sessions.resize', { id: 'x', cols: 5, rows: 1 });
  assert.ok(!bad.ok && bad.error.code === 'CONTRACT_BAD_INPUT' && /cols/.test(bad.error.message));
  const missing = await core.invoke('core:fabrics.list', { refresh: false });
  assert.ok(!missing.ok && missing.error.code === 'SERVICE_UNAVAILABLE');
  const state = await core.invoke('core:app.state', undefined);
  assert.ok(state.ok);
  const value = state.value as { unavailable: string[]; drill: boolean; firstRun: boolean };
  assert.ok(value.unavailable.includes('core:sessions.open'));
  assert.equal(value.drill, true);
  assert.equal(value.firstRun, false);
});

test('outputs are parsed: fields beyond the contract (a key handle) never leave core', async (t) => {
  const keys: KeysService = {
    state: async () => ({ devices: [], key: null }),
    enroll: async () => ({ path: '/h/.ssh/id_ed25519_sk', type: 'sk-ssh-ed25519@openssh.com', publicKey: 'sk-ssh-ed25519@openssh.com AAAA NexusIdentitySSHKey',
      fingerprint: 'SHA256:abc', resident: true, verifyRequired: true, keyHandle: 'c2VjcmV0' } as never),
    setPin: async () => undefined,
    changePin: async () => undefined,
    openPinSettings: async () => undefined,
    importResident: async () => { throw new Error('boom with secret 123456'); },
    readiness: async () => ({ checks: [], checkedAt: 0 }),
    upload: async () => ({ checks: [], checkedAt: 0 }),
  };
  const { core } = setup(t, { keys });
  const reply = await core.invoke('core:keys.enroll', {});
  assert.ok(reply.ok);
  assert.ok(!JSON.stringify(reply).includes('c2VjcmV0'));
  const failed = await core.invoke('core:keys.importResident', {});
  assert.ok(!failed.ok && failed.error.code === 'INTERNAL' && !failed.error.message.includes('123456'));
  const state = await core.invoke('core:app.state', undefined);
  assert.ok(state.ok && (state.value as { firstRun: boolean }).firstRun === true);
});

test('prompts reach the UI as ui:prompt events and answers come back through the contract', async (t) => {
  const { core, broker } = setup(t);
  const seen: unknown[] = [];
  core.onEvent((event, payload) => { if (event === 'ui:prompt') seen.push(payload); });
  const pin = broker.pin({ context: { purpose: 'sign in', hop: 'leaf-01 via jump' }, retriesLeft: 5, previousWrong: false });
  const current = await core.invoke('core:prompt.current', undefined);
  assert.ok(current.ok);
  const id = (current.value as { id: string }).id;
  const short = await core.invoke('core:prompt.answer', { id, answer: { kind: 'pin', pin: '12' } });
  assert.ok(!short.ok && short.error.code === 'CONTRACT_BAD_INPUT');
  assert.ok((await core.invoke('core:prompt.answer', { id, answer: { kind: 'pin', pin: '123456' } })).ok);
  assert.equal(await pin, '123456');
  assert.equal(seen.length, 2);
  assert.deepEqual(seen[1], { prompt: null });
  // A late cancel or answer of a closed prompt is ignored; an id never issued is an error.
  assert.ok((await core.invoke('core:prompt.cancel', { id })).ok);
  assert.ok((await core.invoke('core:prompt.answer', { id, answer: { kind: 'pin', pin: '654321' } })).ok);
  const unknown = await core.invoke('core:prompt.cancel', { id: 'never-issued' });
  assert.ok(!unknown.ok && unknown.error.code === 'PROMPT_NOT_FOUND');
});

test('connect plans use the jump host from settings first, the chosen path and the other path as fallback', async (t) => {
  const plans: ConnectPlan[] = [];
  const sessions: SessionsService = {
    open: async (plan, _size, sink) => {
      plans.push(plan);
      const info: SessionInfo = { id: 's1', title: plan.title, chain: [...plan.jumps, plan.target], path: plan.path, method: plan.method,
        recording: true, state: 'open', drill: plan.drill };
      sink.state({ id: 's1', state: 'open', info });
      return info;
    },
    write: () => undefined, resize: () => undefined, reconnect: async () => { throw new Error('x'); },
    close: async () => undefined, list: () => [],
  };
  const { core } = setup(t, { inventory, sessions });
  const events: string[] = [];
  core.onEvent((e) => events.push(e));
  const base = { fabricId: FABRIC, user: 'alice@contoso.com', method: 'v2.0', cols: 80, rows: 24 } as const;

  assert.ok((await core.invoke('core:sessions.open', { ...base, deviceId: 'DEV-1', path: 'primary' })).ok);
  assert.deepEqual(plans[0]?.jumps, [{ user: 'jump', host: '127.0.0.2', port: 2222, label: '127.0.0.2' }]);
  assert.equal(plans[0]?.target.host, '127.0.0.3');
  assert.equal(plans[0]?.fallback, undefined);
  assert.deepEqual(events, ['ui:session.state']);

  const noBackup = await core.invoke('core:sessions.open', { ...base, deviceId: 'dev-1', path: 'backup' });
  assert.ok(!noBackup.ok && noBackup.error.code === 'NO_ADDRESS');

  await core.invoke('core:settings.importBackup', { format: 'csv', text: 'leaf-01,127.0.0.13\n' });
  await core.invoke('core:settings.update', { jumpHosts: { [FABRIC.toLowerCase()]: { host: '127.0.0.9', port: 22, user: 'ops' } } });
  assert.ok((await core.invoke('core:sessions.open', { ...base, deviceId: 'dev-1', path: 'primary' })).ok);
  assert.equal(plans[1]?.jumps[0]?.host, '127.0.0.9');
  assert.deepEqual(plans[1]?.fallback, { host: '127.0.0.13', port: 22 });
  assert.ok((await core.invoke('core:sessions.open', { ...base, deviceId: 'dev-1', path: 'backup' })).ok);
  assert.equal(plans[2]?.target.host, '127.0.0.13');
  assert.ok((await core.invoke('core:sessions.open', { ...base, deviceId: 'dev-2', path: 'primary' })).ok);
  assert.equal(plans[3]?.target.host, 'fd00::4', 'an IPv6 prefix length is stripped');

  const unknown = await core.invoke('core:sessions.open', { ...base, deviceId: 'dev-9', path: 'primary' });
  assert.ok(!unknown.ok && unknown.error.code === 'UNKNOWN_DEVICE');
  const defaults = await core.invoke('core:connect.defaults', { fabricId: FABRIC, deviceId: 'dev-1' });
  assert.ok(defaults.ok);
  assert.deepEqual(defaults.value, { user: '', jumpHost: { host: '127.0.0.9', port: 22, user: 'ops', from: 'set for this fabric', via: [] }, backupAvailable: true, notes: [], method: 'v2.0', path: 'primary' });
});

test('device user names come from the template and the Entra identity', () => {
  const id = { objectId: 'o', displayName: 'Alice', userPrincipalName: 'alice@contoso.com', mail: 'alice.smith@contoso.com', tenantId: 't' };
  assert.equal(deviceUserName('{upn}', id), 'alice@contoso.com');
  assert.equal(deviceUserName('{alias}', id), 'alice');
  assert.equal(deviceUserName('corp\\{alias}', id), 'corp\\alice');
  assert.equal(deviceUserName('{mail}', { ...id, mail: null }), 'alice@contoso.com');
  assert.equal(deviceUserName('{upn}', null), '');
  assert.equal(deviceUserName('breakglass', null), 'breakglass');
});

test('a method whose service is missing says which method and which service', async (t) => {
  const { core } = setup(t);
  const reply = await core.invoke('core:clusters.list', undefined);
  assert.ok(!reply.ok);
  assert.equal(reply.error.message, 'core:clusters.list is not available: this build has no inventory service wired in.');
});

test('the v1.5 password rotation state: "not known" from an inventory that cannot tell, the view from one that can', async (t) => {
  const { core } = setup(t, { inventory });
  const unknown = await core.invoke('core:fabrics.passwordRotation', { fabricId: FABRIC });
  assert.ok(unknown.ok);
  assert.deepEqual(unknown.value, { known: false, split: false, inProgress: false, summary: 'The password rotation state of this fabric is not known.', devices: [] });
  const view = { known: true, split: true, inProgress: false, summary: 'split', devices: [{ id: 'dev-1', name: 'leaf-01', state: 'older' as const, detail: 'holds an older password version', secretVersion: 'never to the UI' }] };
  const { core: azure } = setup(t, { inventory: { ...inventory, passwordRotation: async () => view } });
  const reply = await azure.invoke('core:fabrics.passwordRotation', { fabricId: FABRIC });
  assert.ok(reply.ok);
  assert.deepEqual(reply.value, { ...view, devices: [{ id: 'dev-1', name: 'leaf-01', state: 'older', detail: 'holds an older password version' }] }, 'fields beyond the contract are stripped');
});
