// The Windows broker wiring: real MSAL Node with a stand-in broker at its plugin boundary, and the
// browser fallback against the fake identity provider over TLS. Which path is taken depends on the
// window handle and on the plugin: present, absent (not installed), unavailable, failing, cancelled.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { AzureAuth } from '../../../electron/core/auth/azure-auth';
import { resolveAuthConfig } from '../../../electron/core/auth/config';
import { availableBroker, loadNativeBroker, type BrokerLoader } from '../../../electron/core/auth/native-broker';
import { AesGcmProtector } from '../../../electron/core/auth/token-cache';
import { createTransport } from '../../../electron/core/net/transport';
import { StandInBroker } from '../../support/fake-azure/broker-plugin';
import { playBrowser } from '../../support/fake-azure/browser';
import { FakeAzure } from '../../support/fake-azure/server';
import { ScriptedInteraction } from '../../support/scripted-interaction';
import { CoreServices } from '../../../electron/services/services';

/** The runtime's own answer: its native part loads (Windows, or a Linux desktop with WebKitGTK) or not. */
const runtimeLoads = (): boolean =>
  (createRequire(import.meta.url)('@azure/msal-node-runtime') as { msalNodeRuntime: { StartupError?: unknown } }).msalNodeRuntime.StartupError === undefined;

// Electron's getNativeWindowHandle() bytes for HWND 0x00012345.
const HWND = Uint8Array.from([0x45, 0x23, 0x01, 0, 0, 0, 0, 0]);

describe('Windows broker sign-in', () => {
  let fake: FakeAzure;
  let dir: string;
  let n = 0;
  before(async () => {
    fake = await FakeAzure.start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-broker-'));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function make(opts: { loadBroker?: BrokerLoader; handle?: Uint8Array | null }) {
    const log: string[] = [];
    const opened: string[] = [];
    let loads = 0;
    const auth = new AzureAuth(resolveAuthConfig(fake.env()), {
      transport: createTransport({ extraCaPem: fake.caPem }),
      openBrowser: async (u) => { opened.push(u); await playBrowser(fake, u); },
      tokenCache: { file: path.join(dir, `c${n++}.cache`), protector: new AesGcmProtector('test key', async () => Buffer.alloc(32, 3)) },
      log: (l) => log.push(l),
      ...(opts.handle !== undefined ? { windowHandle: () => opts.handle ?? null } : {}),
      ...(opts.loadBroker ? { loadBroker: async () => { loads++; return opts.loadBroker!(); } } : {}),
    });
    return { auth, log, opened, loads: () => loads };
  }

  it('signs in through the broker parented to the app window, with Graph and ARM consent in one dialog', async () => {
    const broker = new StandInBroker(fake.idp);
    const { auth, opened } = make({ handle: HWND, loadBroker: async () => broker });
    const who = await auth.signIn();
    assert.equal(who.username, fake.idp.user.upn);
    assert.equal(opened.length, 0, 'no browser');
    assert.equal(broker.interactive.length, 1);
    const call = broker.interactive[0]!;
    assert.deepEqual(call.windowHandle, Buffer.from(HWND), 'the main window handle reached the broker');
    assert.ok(call.scopes.some((s) => s.endsWith('/User.ReadWrite')));
    assert.ok(call.extraScopesToConsent.some((s) => s.endsWith('/user_impersonation')), 'ARM consent asked in the same dialog');
    // Tokens for this account come from the broker, not from MSAL's cache.
    assert.equal(fake.idp.tokens.get(await auth.token('arm'))?.aud, 'arm');
    assert.ok(broker.silent.some((s) => s.some((x) => x.endsWith('/user_impersonation'))));
    assert.deepEqual((await auth.accounts()).map((a) => a.username), [fake.idp.user.upn]);
    await auth.signOut();
    assert.deepEqual(await auth.accounts(), []);
  });

  it('falls back to the system browser when the plugin is not installed', async () => {
    const { auth, opened, log } = make({ handle: HWND, loadBroker: async () => { throw Object.assign(new Error("Cannot find module '@azure/msal-node-extensions/package.json'"), { code: 'MODULE_NOT_FOUND' }); } });
    assert.equal((await auth.signIn()).username, fake.idp.user.upn);
    assert.equal(opened.length, 1);
    assert.ok(log.some((l) => /broker not loaded \(Cannot find module/.test(l)), log.join('\n'));
    assert.equal(fake.idp.tokens.get(await auth.token('graph'))?.aud, 'graph', 'tokens from the browser sign-in');
  });

  it('falls back to the system browser when the broker is unavailable or fails, and says so', async () => {
    const unavailable = make({ handle: HWND, loadBroker: async () => new StandInBroker(fake.idp, 'signs-in', false) });
    await unavailable.auth.signIn();
    assert.equal(unavailable.opened.length, 1);
    assert.ok(unavailable.log.some((l) => /broker is not available/.test(l)));

    const broker = new StandInBroker(fake.idp, 'fails');
    const failing = make({ handle: HWND, loadBroker: async () => broker });
    assert.equal((await failing.auth.signIn()).username, fake.idp.user.upn);
    assert.equal(broker.interactive.length, 1, 'the broker was tried first');
    assert.equal(failing.opened.length, 1, 'then the browser');
    assert.ok(failing.log.some((l) => /broker failed \(platform_broker_error\); signing in with the system browser/.test(l)));
    // The browser's account is served from MSAL's cache although the broker client exists.
    assert.equal(fake.idp.tokens.get(await failing.auth.token('arm'))?.aud, 'arm');
    assert.equal(broker.silent.length, 0);
  });

  it('treats closing the broker dialog as a cancelled sign-in, not as a reason to open the browser', async () => {
    const { auth, opened } = make({ handle: HWND, loadBroker: async () => new StandInBroker(fake.idp, 'user-cancels') });
    await assert.rejects(auth.signIn(), { code: 'SIGN_IN_CANCELLED' });
    assert.equal(opened.length, 0);
  });

  it("ends the wait on the app's Cancel or the timeout while the broker's dialog stays open, without opening the browser", async () => {
    const { auth, opened } = make({ handle: HWND, loadBroker: async () => new StandInBroker(fake.idp, 'dialog-left-open') });
    const controller = new AbortController();
    const signIn = auth.signIn({ signal: controller.signal });
    setImmediate(() => controller.abort());
    await assert.rejects(signIn, { code: 'SIGN_IN_CANCELLED' });
    await assert.rejects(auth.signIn({ timeoutMs: 50 }), { code: 'SIGN_IN_TIMEOUT' });
    assert.equal(opened.length, 0);
  });

  it('does not load the broker without a window handle (CLI, Linux, macOS)', async () => {
    for (const handle of [undefined, null]) {
      const broker = new StandInBroker(fake.idp);
      const { auth, opened, loads } = make({ handle, loadBroker: async () => broker });
      await auth.signIn();
      assert.equal(loads(), 0);
      assert.equal(opened.length, 1);
      assert.equal(broker.interactive.length, 0);
    }
  });

  it("passes the app's window handle from the services to sign-in, where the real plugin is asked", async (t) => {
    // With a working runtime the real broker would open; this proof needs a machine without one.
    if (runtimeLoads()) return t.skip('a broker runtime loads on this machine');
    for (const hwnd of [HWND, undefined]) {
      const warnings: string[] = [];
      const services = new CoreServices({
        home: mkdtempSync(path.join(dir, 'home-')), env: { ...fake.env(), NBG_TOKEN_CACHE: 'plaintext' }, interaction: new ScriptedInteraction({}),
        warn: (m) => warnings.push(m), audit: 'optional', transport: createTransport({ extraCaPem: fake.caPem }),
        openBrowser: (u) => playBrowser(fake, u), windows: hwnd ? { hwnd: () => hwnd } : {},
      });
      const who = await (await services.auth()).signIn();
      assert.equal(who.userPrincipalName, fake.idp.user.upn, 'signed in through the browser');
      assert.equal(warnings.some((w) => /Windows sign-in broker is not available on this system/.test(w)), hwnd !== undefined, warnings.join('\n'));
    }
  });

  it('loads the real plugin package (without keytar), which reports the broker as its runtime does', async () => {
    const plugin = await loadNativeBroker();
    assert.equal(typeof plugin.acquireTokenInteractive, 'function');
    const loads = runtimeLoads();
    assert.equal(plugin.isBrokerAvailable, loads);
    const log: string[] = [];
    assert.equal(await availableBroker(loadNativeBroker, (l) => log.push(l)) !== undefined, loads);
    if (!loads) assert.match(log[0]!, /not available on this system/);
  });
});
