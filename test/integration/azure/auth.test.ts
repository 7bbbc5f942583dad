// Real MSAL Node against the fake identity provider over TLS: the interactive flow (the test
// plays the browser and posts the form to MSAL's loopback server), device code, silent tokens
// per resource through the refresh token, the protected cache on disk, accounts and sign-out.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AzureAuth } from '../../../electron/core/auth/azure-auth';
import { resolveAuthConfig } from '../../../electron/core/auth/config';
import { AesGcmProtector } from '../../../electron/core/auth/token-cache';
import { createTransport, TransportError, type Transport } from '../../../electron/core/net/transport';
import { FakeAzure } from '../../support/fake-azure/server';
import { playBrowser } from '../../support/fake-azure/browser';

describe('AzureAuth against the fake identity provider', () => {
  let fake: FakeAzure;
  let dir: string;
  const key = Buffer.alloc(32, 7);
  before(async () => {
    fake = await FakeAzure.start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-auth-'));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const make = (cacheFile: string, open: (url: string) => Promise<void> = (u) => playBrowser(fake, u)): AzureAuth =>
    new AzureAuth(resolveAuthConfig(fake.env()), {
      transport: createTransport({ extraCaPem: fake.caPem }),
      openBrowser: open,
      tokenCache: { file: cacheFile, protector: new AesGcmProtector('test key', async () => key) },
    });

  it('signs in interactively with PKCE and form_post, then gets Graph and ARM tokens silently', async () => {
    const cacheFile = path.join(dir, 'interactive.cache');
    let opened = '';
    const auth = make(cacheFile, async (u) => { opened = u; await playBrowser(fake, u); });
    const who = await auth.signIn();
    assert.equal(who.objectId, fake.idp.user.oid);
    assert.equal(who.tenantId, fake.idp.user.tid);
    assert.equal(who.username, fake.idp.user.upn);
    assert.equal(who.homeAccountId, `${fake.idp.user.oid}.${fake.idp.user.tid}`);
    const q = new URL(opened).searchParams;
    assert.equal(q.get('response_mode'), 'form_post');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('scope') ?? '', /user_impersonation/, 'ARM consent asked up front');

    const graph = await auth.token('graph');
    const arm = await auth.token('arm');
    assert.equal(fake.idp.tokens.get(graph)?.aud, 'graph');
    assert.equal(fake.idp.tokens.get(arm)?.aud, 'arm');
    assert.equal(fake.idp.grants.refresh_token, 1, 'ARM token came from the refresh token');
    assert.equal(await auth.token('arm'), arm, 'second ARM call served from the cache');

    const onDisk = readFileSync(cacheFile);
    assert.equal(onDisk.subarray(0, 5).toString(), 'NBGC1');
    assert.ok(!onDisk.includes(Buffer.from(graph.split('.')[1]!)), 'tokens are not readable in the cache file');

    // A new process (new PCA) reads the protected cache and needs no browser.
    const again = make(cacheFile, async () => assert.fail('no browser expected'));
    assert.deepEqual((await again.accounts()).map((a) => a.username), [fake.idp.user.upn]);
    assert.equal(fake.idp.tokens.get(await again.token('graph'))?.aud, 'graph');

    await again.signOut();
    assert.equal(await again.current(), null);
    assert.deepEqual(await again.accounts(), []);
    await assert.rejects(again.token('graph'), { code: 'SIGN_IN_REQUIRED' });
    const afterSignOut = make(cacheFile, async () => assert.fail('no browser expected'));
    assert.deepEqual(await afterSignOut.accounts(), [], 'sign-out persisted');
  });

  it('signs in with a device code once the user approves it, and obtains ARM consent in the same sign-in', async () => {
    // A user who has never consented to this app: the Graph code alone leaves ARM without consent.
    fake.idp.consented.clear();
    const auth = make(path.join(dir, 'device.cache'));
    const shown: string[] = [];
    const who = await auth.signInWithDeviceCode((p) => {
      shown.push(p.message);
      assert.ok(fake.idp.approveDeviceCode(p.userCode));
    });
    assert.equal(shown.length, 2, 'a second code for Azure Resource Manager');
    assert.match(shown[0]!, /enter the code [0-9A-F]{8}/);
    assert.match(shown[1]!, /Azure Resource Manager/);
    assert.equal(who.username, fake.idp.user.upn);
    assert.deepEqual([...fake.idp.consented].sort(), ['arm', 'graph']);
    const grants = fake.idp.grants.refresh_token ?? 0;
    assert.equal(fake.idp.tokens.get(await auth.token('arm'))?.aud, 'arm');
    assert.ok((fake.idp.grants.refresh_token ?? 0) <= grants + 1, 'ARM tokens now come silently');
    // Where ARM consent already exists, one code is enough.
    const again = make(path.join(dir, 'device2.cache'));
    let codes = 0;
    await again.signInWithDeviceCode((p) => { codes++; fake.idp.approveDeviceCode(p.userCode); });
    assert.equal(codes, 1);
  });

  it('cancels a browser sign-in, times out an abandoned one, and stops a device-code wait', async () => {
    const controller = new AbortController();
    let opened = 0;
    const auth = make(path.join(dir, 'cancel.cache'), async () => { opened++; setTimeout(() => controller.abort(), 20); });
    await assert.rejects(auth.signIn({ signal: controller.signal }), { code: 'SIGN_IN_CANCELLED' });
    assert.equal(opened, 1);
    await assert.rejects(make(path.join(dir, 'cancel.cache'), async () => {}).signIn({ timeoutMs: 100 }), { code: 'SIGN_IN_TIMEOUT' });
    const codes = new AbortController();
    await assert.rejects(auth.signInWithDeviceCode(() => setTimeout(() => codes.abort(), 20), codes.signal), { code: 'SIGN_IN_CANCELLED' });
    assert.deepEqual(await auth.accounts(), []);
  });

  it('reports an unreachable identity provider as Azure unreachable, not as a failed sign-in', async () => {
    const cacheFile = path.join(dir, 'offline.cache');
    const real = createTransport({ extraCaPem: fake.caPem });
    let down = false;
    const transport: Transport = async (r) => {
      if (down) throw new TransportError('network', 'connect ECONNREFUSED');
      return real(r);
    };
    const build = (): AzureAuth => new AzureAuth(resolveAuthConfig(fake.env()), {
      transport, openBrowser: async () => {}, tokenCache: { file: cacheFile, protector: new AesGcmProtector('test key', async () => key) },
    });
    await build().signInWithDeviceCode((p) => { fake.idp.approveDeviceCode(p.userCode); });
    down = true;
    const offline = build();
    assert.equal((await offline.principal()).objectId, fake.idp.user.oid, 'who we are is known offline');
    await assert.rejects(offline.token('arm'), { code: 'AZURE_UNREACHABLE' });
  });

  it('rejects a cache sealed with another key and asks to sign in again', async () => {
    const cacheFile = path.join(dir, 'interactive2.cache');
    await make(cacheFile).signIn();
    const lines: string[] = [];
    const other = new AzureAuth(resolveAuthConfig(fake.env()), {
      transport: createTransport({ extraCaPem: fake.caPem }),
      openBrowser: async () => {},
      tokenCache: { file: cacheFile, protector: new AesGcmProtector('other', async () => Buffer.alloc(32, 9)) },
      log: (l) => lines.push(l),
    });
    assert.deepEqual(await other.accounts(), []);
    assert.ok(lines.some((l) => /cannot be decrypted/.test(l)));
  });
});
