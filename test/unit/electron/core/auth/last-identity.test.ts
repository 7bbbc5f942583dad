import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LastIdentityStore } from '../../../../../electron/core/auth/last-identity';

function home(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-last-identity-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const WHO = { objectId: '00000000-1111-4222-8333-444444444444', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', username: 'ops.engineer@contoso.example', name: 'Ops Engineer' };

test('last identity: names and ids with the time, nothing else; private file; gone after forget', async (t) => {
  const store = LastIdentityStore.inHome(home(t));
  assert.equal(await store.read(), null, 'none kept yet');
  const at = new Date('2026-12-03T18:00:00.000Z');
  await new LastIdentityStore(store.file, () => at).remember(WHO);
  const saved = JSON.parse(readFileSync(store.file, 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(saved).sort(), ['displayName', 'objectId', 'signedInAt', 'tenantId', 'userPrincipalName', 'version']);
  assert.equal(statSync(store.file).mode & 0o777, 0o600);
  assert.deepEqual(await store.read(), {
    objectId: WHO.objectId, tenantId: WHO.tenantId, userPrincipalName: WHO.username, displayName: WHO.name, mail: null,
    signedInAt: at.toISOString(),
  });
  // A later sign-in replaces it whole (atomic write: no temp file left beside it).
  await store.remember({ objectId: WHO.objectId, tenantId: WHO.tenantId, username: 'second@contoso.example' });
  assert.equal((await store.read())?.userPrincipalName, 'second@contoso.example');
  assert.equal((await store.read())?.displayName, 'second@contoso.example');
  await store.forget();
  assert.equal(await store.read(), null);
  await store.forget(); // nothing to remove is fine
});

test('last identity: a damaged file, or one carrying anything beyond the identity (a token), is not used and says so', async (t) => {
  const store = LastIdentityStore.inHome(home(t));
  const warnings: string[] = [];
  for (const text of ['not json', '{"version":1}', JSON.stringify({
    version: 1, userPrincipalName: 'a@b', displayName: 'A', tenantId: 't', objectId: 'o', signedInAt: '2026-12-03T18:00:00.000Z', accessToken: 'eyJ…',
  })]) {
    writeFileSync(store.file, text);
    assert.equal(await store.read((w) => warnings.push(w)), null, text);
    assert.equal(readFileSync(store.file, 'utf8'), text, 'left as it was');
  }
  assert.equal(warnings.length, 3);
  assert.ok(warnings.every((w) => /is not valid; the last signed-in identity is not used/.test(w)));
});
