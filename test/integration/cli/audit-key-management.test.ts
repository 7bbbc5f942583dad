// Every key-management action goes on record, failures included: `nbg keys set-pin`, `change-pin`
// (wrong current PIN, then right), `keys import` refused for a wrong PIN, a signature the key
// refused; all with MACs under the key in a real Secret Service, checked by `nbg audit verify`.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AuditLog, auditLogPath, type AuditEntry } from '../../../electron/core/audit/index';
import { secretAnchorStore } from '../../../electron/core/audit/anchor';
import { osSecretStore } from '../../../electron/core/auth/os-key-store';
import { AuthenticatorSigner } from '../../../electron/core/keys/signer';
import { KeyStore } from '../../../electron/core/keys/store';
import { Authenticator } from '../../../native/authenticator/authenticator';
import { simulatorKeySource } from '../../../native/authenticator/key-source';
import { openSimulator } from '../../../native/simulator/index';
import { nbg } from '../../support/nbg';
import { startTestKeyring } from '../../support/os-keyring';
import { ScriptedInteraction } from '../../support/scripted-interaction';

const PIN = '482916';
const NEW_PIN = '731905';

test('set-pin, change-pin, a failed import and a refused signature are all audit entries, keyed', async (t) => {
  const keyring = await startTestKeyring();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-keys-'));
  t.after(async () => {
    await keyring.stop();
    await fs.rm(root, { recursive: true, force: true });
  });
  const env = { ...keyring.env, NBG_HOME: path.join(root, 'home'), NBG_SIMULATOR: path.join(root, 'sim.json') };
  const dir = path.join(root, 'ssh');

  let r = await nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` });
  assert.equal(r.code, 0, r.stderr);
  r = await nbg(['keys', 'change-pin', '--pin-stdin'], { env, stdin: `564738\n${NEW_PIN}\n` });
  assert.notEqual(r.code, 0);
  r = await nbg(['keys', 'change-pin', '--pin-stdin'], { env, stdin: `${PIN}\n${NEW_PIN}\n` });
  assert.equal(r.code, 0, r.stderr);
  // The old PIN is refused and, asked again with nothing more on stdin, the import is cancelled.
  r = await nbg(['keys', 'import', '--dir', dir, '--pin-stdin'], { env, stdin: `${PIN}\n` });
  assert.notEqual(r.code, 0, 'the old PIN no longer opens the key');
  r = await nbg(['keys', 'enroll', '--dir', dir, '--pin-stdin'], { env, stdin: `${NEW_PIN}\n` });
  assert.equal(r.code, 0, r.stderr);

  // A signature asked for with the wrong PIN: refused by the key, and recorded as such.
  const log = await AuditLog.open({ file: auditLogPath(env.NBG_HOME), anchors: secretAnchorStore(osSecretStore('audit-anchor', env.NBG_HOME, keyring.env)) });
  const interaction = new ScriptedInteraction({ pinQueue: ['999999', null] });
  const auth = new Authenticator(simulatorKeySource(await openSimulator({ stateFile: env.NBG_SIMULATOR })), interaction);
  const store = new KeyStore(dir);
  const signer = new AuthenticatorSigner(auth, store, { audit: log });
  const [identity] = await signer.identities();
  assert.ok(identity);
  await assert.rejects(signer.sign(identity.publicKeyBlob, Buffer.from('data'), { purpose: 'sign in to leaf-02', hop: 'leaf-02', origin: 'connect' }));
  await log.close();

  const v = await nbg(['audit', 'verify', '--json'], { env });
  assert.equal(v.code, 0, v.stdout);
  const report = JSON.parse(v.stdout) as { keyed: { anchorSeq: number } | null; unkeyed: number };
  assert.ok(report.keyed);
  assert.equal(report.unkeyed, 0);
  const list = await nbg(['audit', 'list', '--json', '--limit', '50'], { env });
  const entries = JSON.parse(list.stdout) as AuditEntry[];
  const summary = entries.map((e) => (e.type === 'key-management' ? `${e.action}:${e.outcome}` : e.type === 'sign-refused' ? `sign-refused:${e.hop}` : `${e.type}`));
  assert.deepEqual(summary, ['set-pin:ok', 'change-pin:failed', 'change-pin:ok', 'import:cancelled', 'enroll', 'sign-refused:leaf-02']);
  const failedChange = entries[1];
  assert.ok(failedChange?.type === 'key-management' && failedChange.error);
  const text = (await nbg(['audit', 'list', '--limit', '50'], { env })).stdout;
  assert.match(text, /Changing the PIN failed: /);
  assert.match(text, /A signature for sign in to leaf-02 on leaf-02 was refused: /);
  // No PIN ever reaches the log.
  const raw = await fs.readFile(auditLogPath(env.NBG_HOME), 'utf8');
  for (const pin of [PIN, NEW_PIN, '564738', '999999']) assert.ok(!raw.includes(pin), `PIN ${pin} in the log`);
});
