// Azure and Entra down is the normal case for break-glass: signed in once (real MSAL against the
// fake identity provider), then every Azure endpoint refuses connections and the access tokens have
// expired. The app starts straight into the cached fabrics and devices with their age, the device
// user name comes from the last signed-in account (MSAL's cached account: no token needed), the
// jump host from settings, and a connect can be planned; sign-in is offered, never required.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { composeAzureCore } from '../../electron/app/compose';
import { AesGcmProtector } from '../../electron/core/auth/token-cache';
import { createTransport } from '../../electron/core/net/transport';
import type { OsServices } from '../../electron/shared/os';
import type { FabricSummary, NetworkDevice } from '../../electron/shared/inventory';
import { simulatorKeySource } from '../../native/authenticator/key-source';
import { openSimulator } from '../../native/simulator/index';
import { playBrowser } from '../support/fake-azure/browser';
import { DEFAULT_USER, FakeAzure } from '../support/fake-azure/server';
import { loadFixtureTenant } from '../support/fake-azure/tenants';
import { openUi } from '../support/e2e-harness';

const PIN = '135790';
const JUMP = { host: '127.0.0.1', port: 2022, user: 'breakglass' };

/** Every access token in a serialized MSAL cache expired an hour ago (refresh tokens kept). */
function expireAccessTokens(serialized: string): string {
  const cache = JSON.parse(serialized) as { AccessToken?: Record<string, Record<string, string>> };
  const past = String(Math.floor(Date.now() / 1000) - 3600);
  for (const entry of Object.values(cache.AccessToken ?? {})) {
    entry.expires_on = past;
    entry.extended_expires_on = past;
    if ('cached_at' in entry) entry.cached_at = String(Number(past) - 3600);
  }
  return JSON.stringify(cache);
}

/** The host and port of every Azure endpoint this app calls, from the fake's environment. */
async function refused(urls: string[]): Promise<void> {
  for (const url of urls) {
    const u = new URL(url);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: u.hostname, port: Number(u.port) }, () => { s.destroy(); resolve(false); });
      s.on('error', () => resolve(true));
    });
    assert.ok(ok, `${u.host} refuses connections`);
  }
}

test('Azure down and tokens expired: cached fabrics and devices with their age, user name from the last account, jump host from settings; sign-in not required', async (t) => {
  const fake = await FakeAzure.start();
  let fakeUp = true;
  t.after(() => (fakeUp ? fake.close() : undefined));
  loadFixtureTenant(fake);
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-azure-down-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, 'ssh'));
  writeFileSync(path.join(home, 'settings.json'), JSON.stringify({
    version: 1, azure: { tenantId: DEFAULT_USER.tid, clientId: '11111111-2222-4333-8444-555555555555' },
    defaultJumpHost: JUMP, userNameTemplate: '{alias}',
  }));
  // safeStorage as main offers it (here an AES-GCM key held by the test).
  const sealer = new AesGcmProtector('test safeStorage', async () => Buffer.alloc(32, 7));
  const osServices: OsServices = {
    openExternal: (url) => playBrowser(fake, url),
    protect: async (d) => sealer.protect(Buffer.from(d)),
    unprotect: async (d) => sealer.unprotect(Buffer.from(d)),
    windowHandle: async () => null,
    relaunchElevated: async () => { throw new Error('not on Windows'); },
    chooseSaveFile: async () => null,
  };
  const env = { ...fake.env() }; // no token variables: the app signs in itself with MSAL
  const transport = createTransport({ extraCaPem: fake.caPem });
  const sim = await openSimulator({ profile: 'ctap21' });
  const compose = () => composeAzureCore({ home, sshDir: path.join(home, 'ssh'), keySource: simulatorKeySource(sim), log: () => undefined, env, transport, os: osServices });

  // Online once: sign in, list the inventory (the cache), put a key on this computer.
  const online = await compose();
  const signedIn = await online.invoke('core:auth.signIn', undefined);
  assert.ok(signedIn.ok, JSON.stringify(signedIn));
  const listed = await online.invoke('core:fabrics.list', { refresh: true });
  assert.ok(listed.ok, JSON.stringify(listed));
  const fabrics = listed.value as FabricSummary[];
  assert.ok(fabrics.length > 0);
  const first = fabrics[0];
  assert.ok(first);
  const devicesOnline = await online.invoke('core:fabrics.devices', { fabricId: first.id });
  assert.ok(devicesOnline.ok);
  const device = (devicesOnline.value as NetworkDevice[])[0];
  assert.ok(device, 'the first fabric has a device');
  const stop = online.onEvent((event, payload) => {
    const prompt = (payload as { prompt: { id: string; kind: string } | null }).prompt;
    if (event === 'ui:prompt' && prompt?.kind === 'pin') void online.invoke('core:prompt.answer', { id: prompt.id, answer: { kind: 'pin', pin: PIN } });
  });
  const keys = await online.invoke('core:keys.state', undefined);
  assert.ok(keys.ok);
  const deviceId = (keys.value as { devices: { id: string }[] }).devices[0]?.id ?? '';
  assert.ok((await online.invoke('core:keys.setPin', { deviceId, pin: PIN })).ok);
  assert.ok((await online.invoke('core:keys.enroll', { deviceId })).ok);
  stop();
  await online.dispose();

  // Then: tokens expired, every Azure endpoint refusing connections.
  const cacheFile = path.join(home, 'msal-token-cache.bin');
  const plain = (await sealer.unprotect(readFileSync(cacheFile))).toString('utf8');
  assert.match(plain, /"AccessToken"/);
  writeFileSync(cacheFile, await sealer.protect(Buffer.from(expireAccessTokens(plain), 'utf8')));
  const endpoints = Object.values(env).filter((v): v is string => typeof v === 'string' && v.startsWith('https://'));
  assert.ok(endpoints.length > 0);
  await fake.close();
  fakeUp = false;
  await refused(endpoints);

  const core = await compose();
  t.after(() => core.dispose());
  const { page, screenshot } = await openUi(t, core);
  const item = page.getByTestId('fabric-item').first();
  await item.waitFor();
  assert.equal(await page.getByTestId('enroll-wizard').count(), 0, 'straight into the fabrics');
  assert.equal(await page.locator('.fatal').count(), 0);
  assert.match(await item.innerText(), new RegExp(`${first.name}[\\s\\S]*offline, synced \\d+ (s|min) ago`));
  await page.getByTestId('azure-offline').waitFor();
  assert.match(await page.getByTestId('azure-offline').innerText(), /Azure (is )?not reachable/i);
  const rows = page.getByTestId('devices-table').locator('tbody tr');
  await rows.first().waitFor();
  assert.ok((await page.getByTestId('devices-table').innerText()).includes(device.hostName));

  // Connect: the user name from the last signed-in account, the jump host from settings.
  await page.getByRole('button', { name: `Connect to ${device.hostName}` }).first().click();
  await page.getByTestId('connect-jump').getByText(`${JUMP.user}@${JUMP.host}:${JUMP.port}`).waitFor();
  assert.equal(await page.getByLabel('Device user name').inputValue(), DEFAULT_USER.upn.split('@')[0]);
  assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).isDisabled(), false, 'nothing asks for a sign-in first');
  await screenshot('29-azure-down-connect');
  const plan = await core.invoke('core:connect.plan', { fabricId: first.id, deviceId: device.id, path: 'primary', method: 'v2.0' });
  assert.ok(plan.ok, JSON.stringify(plan));
  const chain = (plan.value as { chain: { user: string; host: string; port: number }[] }).chain;
  assert.deepEqual(chain[0], { ...JUMP, label: JUMP.host });
  assert.equal(chain[1]?.user, DEFAULT_USER.upn.split('@')[0]);
  await page.keyboard.press('Escape');
  // Sign-in is offered (the tokens cannot be refreshed now), never required.
  assert.equal(await page.getByRole('button', { name: /Sign in/ }).count(), 1);
});
