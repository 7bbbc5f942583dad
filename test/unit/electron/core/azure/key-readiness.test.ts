import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyReadiness, sameKey, type ReadinessDeps } from '../../../../../electron/core/azure/key-readiness';
import { skPubLine } from '../../../../support/fake-azure/keys';

const NOW = new Date('2026-11-21T12:00:00Z');
const line = skPubLine();
const deps = (over: Partial<ReadinessDeps>): ReadinessDeps => ({
  localKey: async () => ({ pubLine: line, fingerprint: 'SHA256:abc' }),
  securityKey: async () => ({ present: true, pinRetries: 8 }),
  entraKey: async () => line,
  uploadedAt: async () => new Date(NOW.getTime() - 5 * 3_600_000),
  now: () => NOW,
  ...over,
});
const states = async (d: ReadinessDeps): Promise<Record<string, string | boolean>> => {
  const r = await new KeyReadiness(d).check();
  return { ready: r.ready, ...Object.fromEntries(r.checks.map((c) => [c.id, c.state])) };
};

describe('KeyReadiness', () => {
  it('is ready when every fact lines up and the sync has run', async () => {
    assert.deepEqual(await states(deps({})), { ready: true, 'local-key': 'ok', 'entra-key': 'ok', 'security-key': 'ok', sync: 'ok' });
    const r = await new KeyReadiness(deps({})).check();
    assert.equal(r.checks.find((c) => c.id === 'sync')!.message, 'uploaded 5 h ago — devices pick it up within 4 hours; the sync has run since');
    assert.equal((await new KeyReadiness(deps({ uploadedAt: async () => null })).check()).sync, undefined, 'no upload on record: no window');
  });
  it('fails on a different key in Entra, a missing key, a blocked PIN', async () => {
    assert.equal((await states(deps({ entraKey: async () => skPubLine() })))['entra-key'], 'fail');
    assert.equal((await states(deps({ entraKey: async () => null })))['entra-key'], 'fail');
    assert.equal((await states(deps({ localKey: async () => null })))['local-key'], 'fail');
    assert.deepEqual(await states(deps({ securityKey: async () => ({ present: true, pinRetries: 0 }) })), { ready: false, 'local-key': 'ok', 'entra-key': 'ok', 'security-key': 'fail', sync: 'ok' });
    assert.equal((await states(deps({ securityKey: async () => ({ present: false }) })))['security-key'], 'fail');
  });
  it('warns when few PIN retries are left, the upload is recent, or Entra cannot be read', async () => {
    assert.equal((await states(deps({ securityKey: async () => ({ present: true, pinRetries: 2 }) })))['security-key'], 'warn');
    const r = await new KeyReadiness(deps({ uploadedAt: async () => new Date(NOW.getTime() - 30 * 60_000) })).check();
    assert.match(r.checks.find((c) => c.id === 'sync')!.message, /^uploaded 30 min ago — devices pick it up within 4 hours; expect it by \d\d:\d\d$/);
    assert.deepEqual(r.sync, { uploadedAt: NOW.getTime() - 30 * 60_000, expectBy: NOW.getTime() + 210 * 60_000 });
    assert.equal(r.ready, true);
    assert.equal((await states(deps({ entraKey: async () => { throw new Error('offline'); } })))['entra-key'], 'warn');
    const noHid = await new KeyReadiness(deps({ securityKey: async () => { throw new Error('libusb missing'); } })).check();
    assert.deepEqual(noHid.checks.find((c) => c.id === 'security-key'), { id: 'security-key', state: 'warn', message: 'could not look for the security key: libusb missing' });
  });
  it('compares keys by type and blob, not comment or line ending', () => {
    const [type, blob] = line.split(' ');
    assert.ok(sameKey(line, `${type} ${blob} other-comment`));
    assert.ok(!sameKey(line, skPubLine()));
  });
});
