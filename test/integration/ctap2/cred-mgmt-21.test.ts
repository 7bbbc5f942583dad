// Credential management as CTAP 2.1 has it, which python-fido2 2.2.1 found the simulator lacking:
// updateUserInformation (§6.8.6) on the 2.1 profile only, and rpId-limited tokens refused where
// §6.8 says PIN_AUTH_INVALID (an independent CTAP 2.1 authenticator refuses them too).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CredentialManagement } from '../../../native/ctap2/client';
import { CoseAlg } from '../../../native/ctap2/cose';
import { PinPermission } from '../../../native/ctap2/pin-protocol';
import { CtapStatus, Ctap2StatusError } from '../../../native/ctap2/status';
import { sha256 } from '../../../native/ctap2/verify';
import { PIN, type Rig, cdh, rig } from '../../support/ctap2-harness';

const isStatus = (s: number) => (e: unknown) => e instanceof Ctap2StatusError && e.status === s;
const USER_ID = Buffer.from('operator-7');

async function withResidentCredential(profile: 'yubikey5-fw54' | 'ctap21'): Promise<{ r: Rig; credentialId: Buffer }> {
  const r = await rig({ profile });
  await r.client.setPin(PIN);
  const permissions = r.sim.authenticator.profile.tokenPermissions ? { permissions: PinPermission.MC, rpId: 'ssh:' } : {};
  const token = await r.client.getPinToken(PIN, permissions);
  const made = await r.client.makeCredential({
    clientDataHash: cdh(), rpId: 'ssh:', user: { id: USER_ID, name: 'old-name', displayName: 'Old Name' }, alg: CoseAlg.EdDSA, residentKey: true,
  }, token);
  return { r, credentialId: made.credentialId };
}

test('ctap21: updateUserInformation replaces name and display name; another user id is refused', async (t) => {
  const { r, credentialId } = await withResidentCredential('ctap21');
  t.after(() => r.channel.close());
  const cm = await r.client.credentialManagement(await r.client.getPinToken(PIN, { permissions: PinPermission.CM }));
  await cm.updateUserInformation(credentialId, { id: USER_ID, name: 'new-name' });
  const [cred] = await cm.enumerateCredentials(sha256('ssh:'));
  assert.equal(cred?.userName, 'new-name');
  assert.equal(cred?.userDisplayName, undefined, 'an absent display name is removed');
  await assert.rejects(cm.updateUserInformation(credentialId, { id: Buffer.from('someone-else'), name: 'x' }), isStatus(CtapStatus.INVALID_PARAMETER));
  await assert.rejects(cm.updateUserInformation(Buffer.alloc(48), { id: USER_ID }), isStatus(CtapStatus.NO_CREDENTIALS));
});

test('yubikey5-fw54: the preview command set has no updateUserInformation', async (t) => {
  const { r, credentialId } = await withResidentCredential('yubikey5-fw54');
  t.after(() => r.channel.close());
  const cm = await r.client.credentialManagement(await r.client.getPinToken(PIN));
  await assert.rejects(cm.updateUserInformation(credentialId, { id: USER_ID, name: 'x' }), isStatus(CtapStatus.INVALID_SUBCOMMAND));
});

test('ctap21: a management token limited to an rpId counts and lists no RPs, and reaches only its own rp', async (t) => {
  const { r, credentialId } = await withResidentCredential('ctap21');
  t.after(() => r.channel.close());
  const limited = await r.client.getPinToken(PIN, { permissions: PinPermission.CM, rpId: 'ssh:' });
  const cm = new CredentialManagement(r.client, limited, 0x0a);
  await assert.rejects(cm.getMetadata(), isStatus(CtapStatus.PIN_AUTH_INVALID));
  await assert.rejects(cm.enumerateRps(), isStatus(CtapStatus.PIN_AUTH_INVALID));
  await assert.rejects(cm.enumerateCredentials(sha256('ssh:other')), isStatus(CtapStatus.PIN_AUTH_INVALID));
  assert.equal((await cm.enumerateCredentials(sha256('ssh:'))).length, 1);
  await cm.updateUserInformation(credentialId, { id: USER_ID, name: 'renamed' });
  await cm.deleteCredential(credentialId);

  // (A key holds one token at a time: this one is asked for after makeAnother's.)
  const second = await makeAnother(r);
  const cmOther = new CredentialManagement(r.client, await r.client.getPinToken(PIN, { permissions: PinPermission.CM, rpId: 'ssh:other' }), 0x0a);
  await assert.rejects(cmOther.deleteCredential(second), isStatus(CtapStatus.PIN_AUTH_INVALID));
  assert.equal((await cmOther.enumerateCredentials(sha256('ssh:other'))).length, 0, 'the same token is good for its own rp');

  const unlimited = new CredentialManagement(r.client, await r.client.getPinToken(PIN, { permissions: PinPermission.CM }), 0x0a);
  assert.equal((await unlimited.getMetadata()).existingResidentCredentialsCount, 1);
});

async function makeAnother(r: Rig): Promise<Buffer> {
  const token = await r.client.getPinToken(PIN, { permissions: PinPermission.MC, rpId: 'ssh:' });
  return (await r.client.makeCredential({ clientDataHash: cdh(), rpId: 'ssh:', user: { id: Buffer.from('second') }, alg: CoseAlg.ES256, residentKey: true }, token)).credentialId;
}
