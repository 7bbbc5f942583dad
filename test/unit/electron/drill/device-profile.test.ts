import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceProfile } from '../../../../electron/drill/device-profile';
import { DRILL_DEVICES } from '../../../../electron/drill/topology';

test('profiles are deterministic per device name (golden values) and differ between devices', () => {
  const golden = DRILL_DEVICES.map((d) => {
    const p = deviceProfile(d.name, d.role);
    return [d.name, p.hostname, p.model, p.serial, p.systemMac];
  });
  assert.deepEqual(golden, GOLDEN);
  const a = deviceProfile('CE1', 'CE');
  assert.deepEqual(deviceProfile('CE1', 'CE'), a);
  assert.notDeepEqual(deviceProfile('CE2', 'CE').interfaces, a.interfaces);
});

test('profiles look like the role: model, interface count, BGP only where routing runs', () => {
  for (const d of DRILL_DEVICES) {
    const p = deviceProfile(d.name, d.role);
    assert.match(p.model, /^DCS-7/);
    assert.match(p.serial, /^JPE\d{8}$/);
    assert.match(p.systemMac, /^2899\.3a[0-9a-f]{2}\.[0-9a-f]{4}$/);
    assert.ok(p.interfaces.length >= 8);
    assert.equal(p.bgpNeighbors.length === 0, d.role === 'TS');
  }
});

// Pinned so a drill briefing, screenshots and training notes stay valid from release to release.
const GOLDEN = [
  ['CE1', 'nx-ce1-104', 'DCS-7280DR3-24-F', 'JPE21698949', '2899.3abe.3f1a'],
  ['CE2', 'nx-ce2-097', 'DCS-7280DR3-24-F', 'JPE21402198', '2899.3a57.cd6d'],
  ['ToR1', 'nx-tor1-120', 'DCS-7280DR3AK-36-F', 'JPE28429946', '2899.3ac9.bfd1'],
  ['NPB1', 'nx-npb1-061', 'DCS-7280SR3-48YC8-F', 'JPE25470908', '2899.3aaf.8717'],
  ['TS1', 'nx-ts1-043', 'DCS-7010TX-48-F', 'JPE25418807', '2899.3a9e.cd7a'],
  ['MGMT1', 'nx-mgmt1-050', 'DCS-7010TX-48-F', 'JPE25188637', '2899.3ac0.5513'],
  ['ToR2', 'nx-tor2-101', 'DCS-7280DR3AK-36-F', 'JPE22234582', '2899.3aaa.a03b'],
  ['ToR3', 'nx-tor3-164', 'DCS-7280DR3AK-36-F', 'JPE26772320', '2899.3a66.789b'],
  ['ToR4', 'nx-tor4-049', 'DCS-7280DR3AK-36-F', 'JPE26414815', '2899.3a84.06b4'],
];
