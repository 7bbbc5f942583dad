import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deviceRotation, rotationView, type DeviceSecrets } from '../../../../../electron/core/azure/password-rotation';

const secret = (version: string, at: string, sync = 'InSync', type = 'AzureOperatorRO user password') => ({
  secretType: type, synchronizationStatus: sync, lastRotationTime: at, secretArchiveReference: { secretName: 's', secretVersion: version },
});
const device = (name: string, ...secrets: ReturnType<typeof secret>[]): DeviceSecrets => ({ id: `/sub/x/networkDevices/${name}`, name, hostName: `${name}.host`, secrets });

describe('password rotation state', () => {
  it('calls a device holding an older version in sync a split, and names it', () => {
    const v = rotationView([
      device('ce1', secret('v2', '2026-11-20T10:00:00Z')), device('ce2', secret('v1', '2026-10-01T10:00:00Z')), device('tor1', secret('v2', '2026-11-20T10:00:00Z')),
    ], {});
    assert.equal(v.split, true);
    assert.deepEqual(v.devices.map((d) => [d.name, d.state]), [['ce1', 'current'], ['ce2', 'older'], ['tor1', 'current']]);
    assert.equal(v.lastRotationTime, '2026-11-20T10:00:00.000Z');
    assert.match(v.summary, /Affected: ce2\./);
    assert.equal(deviceRotation(v, 'CE2.HOST')?.state, 'older');
  });

  it('is not split when every device holds the latest version, unless the fabric counts two password sets', () => {
    const devices = [device('ce1', secret('v2', '2026-11-20T10:00:00Z')), device('ce2', secret('v2', '2026-11-20T10:00:00Z'))];
    assert.equal(rotationView(devices, { activePasswordSetCount: 1 }).split, false);
    const two = rotationView(devices, { activePasswordSetCount: 2 });
    assert.equal(two.split, true);
    assert.match(two.summary, /\(2 password sets in use\)/);
  });

  it('compares versions per secret type and ranks the worst finding first', () => {
    const v = rotationView([
      device('a', secret('r2', '2026-11-20T10:00:00Z'), secret('w9', '2026-11-01T00:00:00Z', 'Synchronizing', 'AzureOperatorRW user password')),
      device('b', secret('r2', '2026-11-20T10:00:00Z'), secret('w9', '2026-11-01T00:00:00Z', 'InSync', 'AzureOperatorRW user password')),
    ], {});
    assert.deepEqual(v.devices.map((d) => [d.name, d.state, d.detail]), [
      ['a', 'synchronizing', 'is being given the new password right now (AzureOperatorRW user password)'], ['b', 'current', 'holds the latest passwords'],
    ]);
    assert.equal(v.inProgress, true);
  });

  it('says it does not know when no device reports a rotation state', () => {
    const v = rotationView([device('old')], {});
    assert.deepEqual([v.known, v.split, v.devices[0]!.state], [false, false, 'unknown']);
    assert.equal(v.summary, 'The password rotation state of this fabric is not known.');
  });
});
