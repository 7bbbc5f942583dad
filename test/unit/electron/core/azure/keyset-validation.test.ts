import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AzureValidationError } from '../../../../../electron/core/azure/errors';
import { validateKeysetSpec, validateKeysetUpdate, type KeysetSpec } from '../../../../../electron/core/azure/keyset-validation';
import { BMC_KEYSETS, BMM_KEYSETS } from '../../../../../electron/core/azure/keyset-kinds';
import { keysetDiff, type KeysetInfo } from '../../../../../electron/core/azure/networkcloud';
import { skPubLine } from '../../../../support/fake-azure/keys';

const NOW = new Date('2026-11-21T12:00:00Z');
const good = (): KeysetSpec => ({
  name: 'breakglass-ops', azureGroupId: 'f110271b-1234-4163-9b99-214d91660f0e', expiration: '2027-01-31T00:00:00Z',
  jumpHostsAllowed: ['192.0.2.1', '2001:db8::5'], privilegeLevel: 'Standard', osGroupName: 'standardAccessGroup',
  users: [{ azureUserName: 'userABC', userPrincipalName: 'userABC@contoso.com', sshPublicKey: skPubLine() }],
});
const problems = (fn: () => void): string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AzureValidationError);
    return err.problems;
  }
  return [];
};

describe('keyset validation', () => {
  it('accepts a valid keyset', () => {
    assert.deepEqual(problems(() => validateKeysetSpec(good(), NOW)), []);
  });

  it('reports every problem at once', () => {
    const spec: KeysetSpec = {
      ...good(), name: '-bad', azureGroupId: 'f110271b-XXXX-4163-9b99-214d91660f0e', expiration: '2028-01-01T00:00:00Z',
      jumpHostsAllowed: ['192.0.2.300', 'jump01'], privilegeLevel: 'Other', osGroupName: '1group',
      users: [
        { azureUserName: 'a', userPrincipalName: '', sshPublicKey: skPubLine() },
        { azureUserName: 'a', userPrincipalName: 'a@contoso.com', sshPublicKey: 'ssh-rsa AAtsE3njSONzDYRIZv/WLjVuMfrUSByHp+jfaaOLHTIIB4fJvo6dQUZxE20w2iDHV3tE= admin@vm' },
      ],
    };
    const p = problems(() => validateKeysetSpec(spec, NOW));
    for (const re of [/name "-bad"/, /azureGroupId/, /more than one year away/, /"192\.0\.2\.300"/, /"jump01"/, /privilegeLevelName/, /osGroupName "1group"/,
      /user 1 \(a\): userPrincipalName is required/, /user 2 \(a\): azureUserName appears twice/, /user 2 \(a\): sshPublicKey is not a valid OpenSSH public key line/]) {
      assert.ok(p.some((x) => re.test(x)), `${re} in ${JSON.stringify(p)}`);
    }
  });

  it('rejects an expiration in the past and a name of 31 characters', () => {
    const p = problems(() => validateKeysetSpec({ ...good(), name: 'a'.repeat(31), expiration: '2026-11-21T11:59:59Z' }, NOW));
    assert.equal(p.length, 2);
  });

  it('refuses to patch create-only fields', () => {
    const p = problems(() => validateKeysetUpdate({ expiration: '2027-01-01T00:00:00Z', privilegeLevel: 'Superuser', azureGroupId: 'x' }, NOW));
    assert.deepEqual(p, ['privilegeLevel, azureGroupId can only be set when the keyset is created (delete and recreate to change)']);
    assert.deepEqual(problems(() => validateKeysetUpdate({}, NOW)), ['nothing to update']);
  });
});

describe('BMC keyset validation (same rules, the BMC kind\'s fields)', () => {
  const bmc = (): KeysetSpec => ({ ...good(), jumpHostsAllowed: [], osGroupName: undefined, privilegeLevel: 'Administrator' });
  it('accepts ReadOnly and Administrator without jump hosts', () => {
    assert.deepEqual(problems(() => validateKeysetSpec(bmc(), NOW, BMC_KEYSETS)), []);
    assert.deepEqual(problems(() => validateKeysetSpec({ ...bmc(), privilegeLevel: 'ReadOnly' }, NOW, BMC_KEYSETS)), []);
  });

  it('refuses BMM privilege levels and BMM-only fields, and BMC levels on a BMM keyset', () => {
    const p = problems(() => validateKeysetSpec({ ...bmc(), privilegeLevel: 'Superuser', jumpHostsAllowed: ['192.0.2.1'], osGroupName: 'g' }, NOW, BMC_KEYSETS));
    assert.deepEqual(p, [
      'privilegeLevel of a BMC keyset must be one of ReadOnly, Administrator',
      'a BMC keyset has no jump hosts, osGroupName (those belong to BMM keysets)',
    ]);
    assert.ok(problems(() => validateKeysetSpec({ ...good(), privilegeLevel: 'Administrator' }, NOW, BMM_KEYSETS))
      .includes('privilegeLevel of a BMM keyset must be one of Standard, Superuser, Other'));
  });

  it('checks users and expiry as for BMM keysets, and patches only expiration and users', () => {
    const p = problems(() => validateKeysetSpec({ ...bmc(), expiration: '2026-01-01T00:00:00Z', users: [] }, NOW, BMC_KEYSETS));
    assert.deepEqual(p, ['expiration 2026-01-01T00:00:00Z is in the past', 'the user list is empty']);
    assert.deepEqual(problems(() => validateKeysetUpdate({ expiration: '2027-01-01T00:00:00Z' }, NOW, BMC_KEYSETS)), []);
    assert.deepEqual(problems(() => validateKeysetUpdate({ jumpHostsAllowed: ['192.0.2.1'] }, NOW, BMC_KEYSETS)),
      ['a BMC keyset has no jump hosts (those belong to BMM keysets)']);
  });
});

describe('keysetDiff', () => {
  const keyA = skPubLine('a');
  const current: KeysetInfo = {
    kind: 'bmm', id: '/k', name: 'k', clusterId: '/c', azureGroupId: 'g', expiration: '2027-01-01T00:00:00.000Z', jumpHostsAllowed: ['192.0.2.1'],
    privilegeLevel: 'Standard', privilegeLevelName: '', osGroupName: '', provisioningState: 'Succeeded', detailedStatus: 'AllActive',
    detailedStatusMessage: '', lastValidation: '', etag: null,
    users: [
      { azureUserName: 'alice', userPrincipalName: 'alice@contoso.com', sshPublicKey: keyA.trim(), status: 'Active', statusMessage: '' },
      { azureUserName: 'bob', userPrincipalName: 'bob@contoso.com', sshPublicKey: skPubLine('b').trim(), status: 'Active', statusMessage: '' },
    ],
  };
  it('shows who is added, removed and re-keyed', () => {
    const d = keysetDiff(current, {
      users: [{ azureUserName: 'alice', userPrincipalName: 'alice@contoso.com', sshPublicKey: keyA }, { azureUserName: 'carol', userPrincipalName: 'carol@contoso.com', sshPublicKey: skPubLine() }],
      expiration: '2027-01-01T00:00:00Z', jumpHostsAllowed: ['192.0.2.1', '192.0.2.2'],
    });
    assert.deepEqual(d.added, ['carol']);
    assert.deepEqual(d.removed, ['bob']);
    assert.deepEqual(d.keyChanged, []);
    assert.equal(d.expiration, undefined, 'the same instant written differently is no change');
    assert.deepEqual(d.lines, ['+ user carol', '- user bob (loses access)', '~ jump hosts 192.0.2.1 -> 192.0.2.1, 192.0.2.2']);
  });
});
