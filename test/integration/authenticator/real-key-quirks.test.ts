// What real keys do that the spec does not say, seen on solo1 (an authenticator we did not write),
// and the one place in the client that copes with each. Every test first shows the quirk on the
// wire, then that the client reads it right.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Authenticator } from '../../../native/authenticator/authenticator';
import { openKey, type OpenKey } from '../../../native/authenticator/device';
import { probeAlgorithm } from '../../../native/ctap2/algorithm-probe';
import { encodeCbor } from '../../../native/ctap2/cbor';
import { Ctap2Cmd } from '../../../native/ctap2/client';
import { CoseAlg } from '../../../native/ctap2/cose';
import { CredMgmtSub } from '../../../native/ctap2/cred-mgmt';
import { CredProtect } from '../../../native/ctap2/make-credential';
import { CtapStatus, Ctap2StatusError } from '../../../native/ctap2/status';
import { SkFlag } from '../../../native/sk/types';
import { ScriptedInteraction } from '../../support/scripted-interaction';
import { startSolo1, type Solo1 } from '../../support/solo1';

const PIN = '975310';
/** A COSE algorithm no FIDO key in this suite makes credentials with (ES384). */
const ES384 = -35;

describe('solo1 quirks', () => {
  let solo: Solo1;
  let key: OpenKey;
  const auth = (): Authenticator => new Authenticator(solo.source, new ScriptedInteraction({ defaultPin: PIN }));

  before(async () => {
    solo = await startSolo1();
    await auth().setPin(PIN);
    key = await openKey(solo.source, solo.info);
  });
  after(async () => {
    await key?.close();
    await solo?.stop();
  });

  it('no algorithms in getInfo: EdDSA is probed (no PIN retry spent), so the key is listed with ed25519-sk', async () => {
    assert.equal(key.ctap.algorithms, undefined, 'the quirk: a CTAP 2.0 getInfo');
    assert.equal(await probeAlgorithm(key.client, key.ctap, CoseAlg.EdDSA), true);
    assert.equal(await probeAlgorithm(key.client, key.ctap, CoseAlg.ES256), true);
    assert.equal(await probeAlgorithm(key.client, key.ctap, ES384), false, 'the probe can say no');
    assert.equal((await key.client.getPinRetries()).retries, 8);
    const { keys } = await auth().listKeys();
    assert.deepEqual(keys[0]?.algorithms, ['ed25519-sk', 'ecdsa-sk']);
  });

  it('enumerateRPsBegin on a key without resident credentials: status 0, no body; read as no keys', async () => {
    const token = await key.client.getPinToken(PIN);
    const params = new Map<number, unknown>([[1, CredMgmtSub.enumerateRPsBegin], [3, 1], [4, token.authenticate(Buffer.from([CredMgmtSub.enumerateRPsBegin]))]]);
    const raw = await key.client.channel.cbor(Buffer.concat([Buffer.from([Ctap2Cmd.credentialManagementPreview]), encodeCbor(params)]));
    token.wipe();
    assert.deepEqual([...raw], [CtapStatus.SUCCESS], 'the quirk: success with an empty body, not NO_CREDENTIALS');

    const cmToken = await key.client.getPinToken(PIN);
    const cm = await key.client.credentialManagement(cmToken);
    assert.deepEqual(await cm.enumerateRps(), []);
    assert.deepEqual(await cm.enumerateCredentials(createHash('sha256').update('ssh:').digest()), []);
    cmToken.wipe();
    assert.deepEqual(await auth().importResident(), [], 'import says there are none instead of failing');
  });

  it('credProtect 3 reported as 1 for EdDSA: import checks with a silent assertion and writes 0x25; a real level 2 stays 0x21', async () => {
    const a = auth();
    const guarded = await a.enroll({ type: 'ed25519-sk' });
    assert.equal(guarded.credential.credProtect, CredProtect.Required);
    // A second resident key as `ssh-keygen -O resident` without verify-required makes it: level 2, visible by id.
    const open = await a.enroll({ type: 'ed25519-sk', application: 'ssh:open', verifyRequired: false });
    assert.equal(open.credential.credProtect, CredProtect.OptionalWithCredentialIdList);

    const token = await key.client.getPinToken(PIN);
    const cm = await key.client.credentialManagement(token);
    const reported = await cm.enumerateCredentials(createHash('sha256').update('ssh:').digest());
    token.wipe();
    assert.equal(reported[0]?.credProtect, CredProtect.Optional, 'the quirk: management reports level 1');
    await assert.rejects(
      key.client.getAssertion({ rpId: 'ssh:', clientDataHash: randomBytes(32), allowList: [guarded.handle.keyHandle], userPresence: false }),
      (err: unknown) => err instanceof Ctap2StatusError && err.status === CtapStatus.NO_CREDENTIALS,
      'yet it enforces level 3',
    );

    const flags = new Map((await a.importResident()).map((k) => [k.handle.application, k.handle.flags]));
    assert.equal(flags.get('ssh:'), SkFlag.UserPresenceRequired | SkFlag.Resident | SkFlag.UserVerificationRequired);
    assert.equal(flags.get('ssh:open'), SkFlag.UserPresenceRequired | SkFlag.Resident);
  });
});
