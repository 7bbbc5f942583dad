// Key upload the way `az nexusidentity gen-keys` does it, against the fake Graph: create,
// update (including the snake_case entry the old CLI wrote), "already exists" fallback, storms.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NEXUS_KEYS_EXTENSION } from '../../../electron/core/azure/graph-keys';
import { skPubLine } from '../../support/fake-azure/keys';
import { startHarness, type Harness } from '../../support/azure-setup';

describe('GraphKeyStore against the fake Graph', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());
  beforeEach(() => {
    h.fake.graph.extensions = [];
    h.fake.graph.writes.length = 0;
    h.fake.graph.patchStatus = 204;
    h.fake.graph.duplicateStatus = 409;
    h.fake.faults = [];
    h.fake.log.length = 0;
  });

  it('creates the extension with POST when the user has none', async () => {
    const line = skPubLine();
    const r = await (await h.context()).keys.upload(line);
    assert.equal(r.action, 'created');
    assert.equal(r.storedLine, line);
    assert.equal(r.user.display, 'operator@contoso.com', 'mail is null: the UPN is shown');
    assert.match(r.message, /uploaded in Microsoft Entra ID for operator@contoso.com\. .*within 4 hours/);
    assert.deepEqual(h.fake.graph.writes, [{ op: 'create', id: NEXUS_KEYS_EXTENSION }]);
    assert.deepEqual(h.fake.graph.extensions[0], { '@odata.type': '#microsoft.graph.openTypeExtension', extensionName: NEXUS_KEYS_EXTENSION, publicKey: line, id: NEXUS_KEYS_EXTENSION });
  });

  it('patches an entry the old CLI wrote (snake_case extension_name, no extensionName), 204 or 200', async () => {
    for (const status of [204, 200] as const) {
      h.fake.graph.patchStatus = status;
      h.fake.graph.extensions = [
        { '@odata.type': '#microsoft.graph.openTypeExtension', id: 'com.contoso.other', extensionName: 'com.contoso.other', theme: 'dark' },
        { '@odata.type': '#microsoft.graph.openTypeExtension', id: NEXUS_KEYS_EXTENSION, extension_name: NEXUS_KEYS_EXTENSION, publicKey: skPubLine('old') },
      ];
      const line = skPubLine();
      const r = await (await h.context()).keys.upload(line);
      assert.equal(r.action, 'updated');
      const ext = h.fake.graph.extensions.find((e) => e.id === NEXUS_KEYS_EXTENSION)!;
      assert.equal(ext.publicKey, line);
      assert.equal(ext.extension_name, undefined, 'PATCH replaced the whole property set');
      assert.equal(h.fake.graph.extensions.find((e) => e.id === 'com.contoso.other')?.theme, 'dark', 'other apps untouched');
    }
  });

  it('falls back to PATCH when POST meets "An extension already exists" (400 or 409)', async () => {
    for (const status of [400, 409] as const) {
      h.fake.graph.duplicateStatus = status;
      h.fake.graph.writes.length = 0;
      h.fake.graph.extensions = [{ '@odata.type': '#microsoft.graph.openTypeExtension', id: NEXUS_KEYS_EXTENSION, extensionName: NEXUS_KEYS_EXTENSION, publicKey: skPubLine('other-device') }];
      // Another device created it between our GET and POST: the list we see is empty.
      h.fake.faults.push({ service: 'graph', method: 'GET', path: '/me/extensions', times: 1, reply: { status: 200, body: { value: [] } } });
      const line = skPubLine();
      const r = await (await h.context()).keys.upload(line);
      assert.equal(r.action, 'updated');
      assert.deepEqual(h.fake.graph.writes, [{ op: 'update', id: NEXUS_KEYS_EXTENSION }]);
      assert.equal(h.fake.graph.extensions.length, 1);
    }
  });

  it('converges without a duplicate create when a POST reply is lost', async () => {
    h.fake.faults.push({ service: 'graph', method: 'POST', path: '/me/extensions', times: 1, afterHandler: true, reply: { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'reply lost' } } } });
    const line = skPubLine();
    const r = await (await h.context()).keys.upload(line);
    assert.equal(r.storedLine, line);
    assert.deepEqual(h.fake.graph.writes.map((w) => w.op), ['create', 'update'], 'one create; the retry became a PATCH');
    assert.equal(h.fake.graph.extensions.length, 1);
  });

  it('converges through a throttling storm on every call with one write', async () => {
    for (const method of ['GET', 'POST']) {
      h.fake.faults.push({ service: 'graph', method, times: 6, reply: { status: 429, headers: { 'retry-after-ms': '5' }, body: { error: { code: 'TooManyRequests', message: 'throttled' } } } });
    }
    const line = skPubLine();
    const r = await (await h.context({ policy: { maxRetries: 6 } })).keys.upload(line);
    assert.equal(r.action, 'created');
    assert.deepEqual(h.fake.graph.writes.map((w) => w.op), ['create']);
    assert.ok(h.fake.count('graph', (l) => l.status === 429) === 12);
  });

  it('reports a key that did not stick', async () => {
    // The write "succeeds" but Entra still holds another key afterwards.
    h.fake.graph.extensions = [{ '@odata.type': '#microsoft.graph.openTypeExtension', id: NEXUS_KEYS_EXTENSION, extensionName: NEXUS_KEYS_EXTENSION, publicKey: skPubLine('old') }];
    h.fake.faults.push({ service: 'graph', method: 'PATCH', times: 1, reply: { status: 204 } });
    await assert.rejects((await h.context()).keys.upload(skPubLine()), { code: 'AZURE_BAD_REPLY', message: /different key/ });
  });
});
