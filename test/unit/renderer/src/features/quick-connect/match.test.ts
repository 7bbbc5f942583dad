import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzyScore, paletteEntries, rankEntries } from '../../../../../../renderer/src/features/quick-connect/match';
import { machineRows } from '../../../../../../renderer/src/features/quick-connect/machines';
import type { NetworkDevice } from '../../../../../../electron/shared/inventory';

const dev = (name: string, role: string, ip: string, fabricId = 'f1'): NetworkDevice =>
  ({ id: `${fabricId}/d/${name}`, name, fabricId, role, hostName: `nx-${name.toLowerCase()}-001`, managementIpv4: ip });

const devices = [
  dev('CE1', 'CE', '10.0.0.1'), dev('CE2', 'CE', '10.0.0.2'), dev('ToR1', 'ToR', '10.0.0.3'),
  dev('ToR2', 'ToR', '10.0.0.4', 'f2'), dev('MGMT1', 'Management', '10.0.9.16'),
].map((device) => ({ device, fabricName: device.fabricId }));

test('fuzzyScore: substring beats subsequence, word start beats inside, no match is null', () => {
  assert.equal(fuzzyScore('xyz', 'nx-ce1'), null);
  const sub = fuzzyScore('ce1', 'nx-ce1-001');
  const scattered = fuzzyScore('nc1', 'nx-ce1-001');
  assert.ok(sub !== null && scattered !== null && sub > scattered);
  const wordStart = fuzzyScore('ce', 'nx-ce1');
  const inside = fuzzyScore('ce', 'xxcexx');
  assert.ok(wordStart !== null && inside !== null && wordStart > inside);
  assert.equal(fuzzyScore('CE', 'nx-ce1') !== null, true, 'case does not matter');
});

test('rankEntries: matches name, host name, role and address', () => {
  const entries = paletteEntries(devices, undefined);
  assert.deepEqual(rankEntries(entries, 'mgm', 5).map((e) => e.device.name), ['MGMT1']);
  assert.deepEqual(rankEntries(entries, 'nx-tor2', 5).map((e) => e.device.name), ['ToR2']);
  assert.deepEqual(rankEntries(entries, 'tor', 5).map((e) => e.device.name).sort(), ['ToR1', 'ToR2']);
  assert.deepEqual(rankEntries(entries, '10.0.9', 5).map((e) => e.device.name), ['MGMT1']);
  assert.deepEqual(rankEntries(entries, 'management', 5).map((e) => e.device.name), ['MGMT1']);
  assert.equal(rankEntries(entries, 'zzz', 5).length, 0);
});

test('rankEntries: favourites, then recents (newest first), then by name; a substring still beats a marked scattered hit', () => {
  const history = {
    favourites: [{ fabricId: 'F2', deviceId: 'F2/D/TOR2' }],
    attempts: [{ fabricId: 'f1', deviceId: 'f1/d/CE2', at: 2000, outcome: 'answered' as const },
      { fabricId: 'f1', deviceId: 'f1/d/MGMT1', at: 1000, outcome: 'refused' as const }],
  };
  const entries = paletteEntries(devices, history);
  assert.equal(entries.find((e) => e.device.name === 'ToR2')?.favourite, true, 'ids compare without case');
  assert.deepEqual(rankEntries(entries, '', 10).map((e) => e.device.name), ['ToR2', 'CE2', 'MGMT1', 'CE1', 'ToR1']);
  assert.deepEqual(rankEntries(entries, 'ce', 2).map((e) => e.device.name), ['CE2', 'CE1']);
  // A recent device does not outrank an exact hit on another one.
  assert.equal(rankEntries(entries, 'ce1', 1)[0]?.device.name, 'CE1');
});

test('bare metal machines rank beside devices: found by host name, name, role BMM and OAM address, marked for a BMM connect', () => {
  const rows = machineRows([{
    id: 'c1', name: 'cluster-1', fabricId: 'f1', keysets: [],
    machines: [{ id: 'c1/m/rack1compute01', name: 'rack1compute01', machineName: 'r01c001', oamIpv4: '10.20.0.5' }, { id: 'c1/m/rack1compute02', name: 'rack1compute02' }],
  }]);
  const entries = paletteEntries([...devices, ...rows], { favourites: [], attempts: [{ fabricId: 'c1', deviceId: 'c1/m/rack1compute02', at: 5, outcome: 'answered' }] });
  const top = rankEntries(entries, 'r01', 3)[0];
  assert.equal(top?.device.hostName, 'r01c001');
  assert.equal(top?.target, 'bmm');
  assert.equal(top?.fabricName, 'cluster-1');
  assert.equal(rankEntries(entries, '10.20.0', 3)[0]?.device.name, 'rack1compute01');
  assert.deepEqual(rankEntries(entries, 'bmm', 5).map((e) => e.device.name).sort(), ['rack1compute01', 'rack1compute02']);
  assert.equal(rankEntries(entries, '', 1)[0]?.device.name, 'rack1compute02', 'a recent machine leads like a recent device');
  assert.equal(rankEntries(entries, 'ce1', 1)[0]?.target, undefined, 'devices stay plain device connects');
});
