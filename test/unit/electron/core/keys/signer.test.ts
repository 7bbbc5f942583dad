// AuthenticatorSigner over the facade and the CTAPHID simulator: the PIN cache it hands the facade
// is the one the sign context carries (a connect's scope), and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator } from '../../../../../native/authenticator/authenticator';
import { simulatorKeySource } from '../../../../../native/authenticator/key-source';
import { openSimulator } from '../../../../../native/simulator/index';
import { parseSkSignatureBlob } from '../../../../../native/sk/signature';
import { SkFlag } from '../../../../../native/sk/types';
import { AuthenticatorSigner } from '../../../../../electron/core/keys/signer';
import { defaultKeyFileName, KeyStore } from '../../../../../electron/core/keys/store';
import { ConnectScope } from '../../../../../electron/core/ssh/sessions/connect-scope';
import { ScriptedInteraction } from '../../../../support/scripted-interaction';
import { tempDir, TEST_PIN } from '../../../../support/sessions';

async function enrolledSigner(t: { after(fn: () => void): void }) {
  const sim = await openSimulator({ profile: 'yubikey5-fw54', keepaliveIntervalMs: 5 });
  const ui = new ScriptedInteraction({ defaultPin: TEST_PIN });
  const auth = new Authenticator(simulatorKeySource(sim), ui);
  await auth.setPin(TEST_PIN);
  const { handle } = await auth.enroll();
  const store = new KeyStore(tempDir(t, 'nbg-signer-'));
  await store.save(defaultKeyFileName(handle.type), handle);
  const signer = new AuthenticatorSigner(auth, store);
  const [identity] = await signer.identities();
  assert.ok(identity);
  ui.pins.length = 0;
  return { ui, signer, blob: identity.publicKeyBlob };
}

test('a context with a PIN cache: one PIN for every signature of the connect, asked again after it ends', async (t) => {
  const { ui, signer, blob } = await enrolledSigner(t);
  const scope = new ConnectScope();
  const data = [Buffer.from('hop one'), Buffer.from('hop two')];
  for (const [i, d] of data.entries()) {
    const sig = await signer.sign(blob, d, { purpose: `sign in to hop-${i}`, hop: `hop-${i}`, origin: 'test', pinCache: scope });
    assert.ok(parseSkSignatureBlob(sig).flags & SkFlag.UserVerificationRequired, 'signed with the PIN verified');
  }
  assert.equal(ui.pins.length, 1, 'the second signature of the connect asks no PIN');
  assert.equal(ui.pins[0]?.context.hop, 'hop-0');
  scope.dispose();

  const next = new ConnectScope();
  await signer.sign(blob, data[0]!, { purpose: 'sign in to hop-0', origin: 'test', pinCache: next });
  next.dispose();
  assert.equal(ui.pins.length, 2, 'a new connect asks its own PIN');
});

test('a context without a PIN cache: every signature asks the PIN', async (t) => {
  const { ui, signer, blob } = await enrolledSigner(t);
  for (const d of [Buffer.from('one'), Buffer.from('two')]) await signer.sign(blob, d, { purpose: 'sign data', origin: 'test' });
  assert.equal(ui.pins.length, 2);
});
