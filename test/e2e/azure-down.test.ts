// Azure and Entra down is the normal case for break-glass: signed in once (real MSAL against the
// fake identity provider), then every Azure endpoint refuses connections and the access tokens have
// expired. The app starts straight into the cached fabrics and devices with their age, the device
// user name comes from the last signed-in account (MSAL's cached account: no token needed), the
// jump host from settings, and the connect reaches a shell: a real OpenSSH jump host and a real
// sshd at the device's cached management address (its own loopback address, port 22, as Azure
// lists it), the simulated security key signing both logins. Sign-in is offered, never required.
// With the token cache gone too, the user name comes from the last identity core kept (no tokens);
// signing out forgets it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { answerPin, openUi } from '../support/e2e-harness';
import { startSshd, uniqueLoopback } from '../support/sshd';
import type { Page } from 'playwright-core';

const PIN = '135790';
/** The device user name: the alias of the fake directory's operator@contoso.com. */
const DEVICE_USER = DEFAULT_USER.upn.split('@')[0]!;
const SHELL_TIMEOUT_MS = 30_000;

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

/** A new host key prompt (jump, then device): trusted from the dialog. */
async function trustHostKey(page: Page): Promise<void> {
  const dialog = page.getByTestId('prompt-host-key');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Trust and remember' }).click();
  await dialog.waitFor({ state: 'detached' });
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

test('Azure down and tokens expired: cached fabrics and devices with their age, user name from the last account, jump host from settings, a shell on the device; sign-in not required', { timeout: 300_000 }, async (t) => {
  const fake = await FakeAzure.start();
  let fakeUp = true;
  t.after(() => (fakeUp ? fake.close() : undefined));
  loadFixtureTenant(fake);
  // The device's management address as the inventory lists it (no port): a loopback address of its own.
  const deviceAddress = uniqueLoopback();
  const armDevice = [...fake.arm.resources.values()].find((r) => /networkdevices\/example-device$/i.test(r.id));
  assert.ok(armDevice, 'the fixture tenant lists example-device');
  armDevice.properties = { ...armDevice.properties, managementIpv4Address: deviceAddress };
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-azure-down-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, 'ssh'));
  writeFileSync(path.join(home, 'settings.json'), JSON.stringify({
    version: 1, azure: { tenantId: DEFAULT_USER.tid, clientId: '11111111-2222-4333-8444-555555555555' },
    userNameTemplate: '{alias}',
  }));
  // safeStorage as main offers it (here an AES-GCM key held by the test).
  const sealer = new AesGcmProtector('test safeStorage', async () => Buffer.alloc(32, 7));
  const osServices: OsServices = {
    openExternal: (url) => playBrowser(fake, url),
    protect: async (d) => sealer.protect(Buffer.from(d)),
    unprotect: async (d) => sealer.unprotect(Buffer.from(d)),
    windowHandle: async () => null,
    relaunchElevated: async () => { throw new Error('not on Windows'); },
    openKeySettings: async () => { throw new Error('not on Windows'); },
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
  let found: { fabric: FabricSummary; device: NetworkDevice } | undefined;
  for (const fabric of fabrics) {
    const devicesOnline = await online.invoke('core:fabrics.devices', { fabricId: fabric.id });
    assert.ok(devicesOnline.ok);
    const device = (devicesOnline.value as NetworkDevice[]).find((d) => d.name === 'example-device');
    if (device) found = { fabric, device };
  }
  assert.ok(found, 'example-device is in a fabric');
  const { fabric: first, device } = found;
  assert.equal(device.managementIpv4, deviceAddress);
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
  assert.equal(JSON.parse(readFileSync(path.join(home, 'last-identity.json'), 'utf8')).userPrincipalName, DEFAULT_USER.upn, 'the sign-in was kept, without tokens');
  assert.doesNotMatch(readFileSync(path.join(home, 'last-identity.json'), 'utf8'), /token|eyJ/i);

  // A real jump host from settings, and a real sshd at the device's cached address, port 22.
  const publicKeyLine = readFileSync(path.join(home, 'ssh', 'id_ed25519_sk.pub'), 'utf8');
  const jumpSshd = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: uniqueLoopback() });
  t.after(() => jumpSshd.stop());
  const deviceSshd = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: deviceAddress, port: 22, keyUser: DEVICE_USER });
  t.after(() => deviceSshd.stop());
  const JUMP = { host: jumpSshd.host, port: jumpSshd.port, user: jumpSshd.user };
  const settingsFile = path.join(home, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(readFileSync(settingsFile, 'utf8')), defaultJumpHost: JUMP }));

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
  // Sign-in is offered (the tokens cannot be refreshed now), never required.
  assert.equal(await page.getByRole('button', { name: /Sign in/ }).count(), 1);
  const rows = page.getByTestId('devices-table').locator('tbody tr');
  await rows.first().waitFor();
  assert.ok((await page.getByTestId('devices-table').innerText()).includes(device.hostName));

  // Connect: the user name from the last signed-in account, the jump host from settings.
  await page.getByRole('button', { name: `Connect to ${device.hostName}` }).first().click();
  await page.getByTestId('connect-jump').getByText(`${JUMP.user}@${JUMP.host}:${JUMP.port}`).waitFor();
  assert.equal(await page.getByLabel('Device user name').inputValue(), DEVICE_USER);
  assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).isDisabled(), false, 'nothing asks for a sign-in first');
  await screenshot('29-azure-down-connect');
  const plan = await core.invoke('core:connect.plan', { fabricId: first.id, deviceId: device.id, path: 'primary', method: 'v2.0' });
  assert.ok(plan.ok, JSON.stringify(plan));
  const chain = (plan.value as { chain: { user: string; host: string; port: number }[] }).chain;
  assert.deepEqual(chain[0], { ...JUMP, label: JUMP.host });
  assert.deepEqual([chain[1]?.user, chain[1]?.host, chain[1]?.port], [DEVICE_USER, deviceAddress, 22]);

  // Connect for real: trust the jump's host key, the PIN (the simulated key signs), the device's host key.
  let output = '';
  const offOutput = core.onEvent((event, payload) => {
    if (event === 'ui:session.output') output += (payload as { data: string }).data;
  });
  t.after(offOutput);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await trustHostKey(page);
  await answerPin({ page, screenshot }, PIN);
  await trustHostKey(page);
  await page.getByTestId('session-state').getByText('open').waitFor({ timeout: SHELL_TIMEOUT_MS });
  const until = async (pattern: RegExp): Promise<void> => {
    const deadline = Date.now() + SHELL_TIMEOUT_MS;
    while (!pattern.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(output, pattern);
  };
  await until(/\$ $/); // the device's /bin/sh prompt
  await page.keyboard.type('echo "on-$(whoami)-$((6*7))"');
  await page.keyboard.press('Enter');
  await until(/on-operator-42/);
  await screenshot('29b-azure-down-shell');
  await deviceSshd.waitForLog(new RegExp(`Accepted publickey for ${DEVICE_USER}`));
  await jumpSshd.waitForLog(new RegExp(`${deviceAddress.replaceAll('.', '\\.')} port 22`));
  await page.close();
  await core.dispose();

  // The token cache gone as well: the device user name comes from the last identity core kept.
  rmSync(cacheFile);
  const bare = await compose();
  t.after(() => bare.dispose());
  const state = await bare.invoke('core:app.state', undefined);
  assert.ok(state.ok);
  assert.equal((state.value as { identity: unknown }).identity, null, 'nobody is signed in');
  const userName = async (): Promise<string> => {
    const d = await bare.invoke('core:connect.defaults', { fabricId: first.id, deviceId: device.id });
    assert.ok(d.ok, JSON.stringify(d));
    return (d.value as { user: string }).user;
  };
  assert.equal(await userName(), DEVICE_USER);
  // Without that record nobody is known: the operator would have to type the user name.
  const kept = readFileSync(path.join(home, 'last-identity.json'));
  rmSync(path.join(home, 'last-identity.json'));
  assert.equal(await userName(), '');
  writeFileSync(path.join(home, 'last-identity.json'), kept);
  assert.equal(await userName(), DEVICE_USER);
  // Signing out forgets it (with the inventory).
  assert.ok((await bare.invoke('core:auth.signOut', undefined)).ok);
  assert.equal(existsSync(path.join(home, 'last-identity.json')), false);
});
