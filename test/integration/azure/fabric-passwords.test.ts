// Method D v1.5 password rotation against the spec-shaped fake ARM (ManagedNetworkFabric
// 2025-07-15): the rotation state read from the fabric and its devices (split, in progress, which
// devices), and the fabric-wide rotatePasswords action followed to its end, with the per-device
// results of the success, partial-success and error examples, each put on record.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditSink } from '../../../electron/core/audit/audit-log';
import { auditEventInput, type AuditEventInput } from '../../../electron/core/audit/events';
import { FIXTURE } from '../../support/fake-azure/tenants';
import { startHarness, type Harness } from '../../support/azure-setup';

describe('fabric password rotation against the fake ARM', () => {
  let h: Harness;
  let events: AuditEventInput[];
  const audit = { append: async (e: AuditEventInput) => { events.push(auditEventInput.parse(e)); } } as unknown as AuditSink;
  before(async () => { h = await startHarness(); });
  after(() => h.close());
  beforeEach(() => {
    h.resetTenant();
    h.fake.arm.operations.polls = 2;
    h.fake.arm.fabricPasswords.failDevices.clear();
    h.fake.arm.fabricPasswords.failTerminalServer = false;
    events = [];
  });
  const states = (v: { devices: Array<{ name: string; state: string }> }) => Object.fromEntries(v.devices.map((d) => [d.name, d.state]));

  it('reads the example fabric as split: one device out of sync and synchronizing, named', async () => {
    const fp = (await h.context()).fabricPasswords;
    const v = await fp.state(FIXTURE.fabricId);
    assert.equal(v.known, true);
    assert.equal(v.split, true);
    assert.equal(v.inProgress, false, 'the worst finding of example-device is OutOfSync');
    assert.equal(v.activePasswordSets, 1);
    assert.deepEqual(states(v), { 'example-device': 'out-of-sync', 'example-device-2': 'unknown', 'terminal server': 'current' });
    assert.match(v.devices[0]!.detail, /has not been given the latest password \(AzureOperatorRW user password\)/);
    assert.match(v.summary, /passwords are split: a v1\.5 password may work on some devices and not on others\. Affected: example-device\./);
    assert.ok(h.fake.log.every((l) => !l.path.includes('/providers/Microsoft.ManagedNetworkFabric') || l.path.includes('api-version=2025-07-15')));
  });

  it('rotates every device: 202 + Location, polled to Succeeded, then every device current', async () => {
    const fp = (await h.context()).fabricPasswords;
    const outcome = await fp.rotate(FIXTURE.fabricId, audit);
    assert.equal(outcome.status, 'Succeeded');
    assert.deepEqual(outcome.devices, []);
    assert.equal(h.fake.log.find((l) => l.method === 'POST')?.status, 202);
    assert.equal(h.fake.count('arm', (l) => l.path.includes('Microsoft.ManagedNetworkFabric/locations/eastus/operationStatuses')), 3);
    const v = await fp.state(FIXTURE.fabricId);
    assert.equal(v.split, false);
    assert.equal(states(v)['example-device'], 'current');
    assert.equal(v.summary, 'Every device holds the latest passwords.');
    assert.deepEqual(events, [{ type: 'password-rotation', fabric: FIXTURE.fabricId, outcome: 'ok', devicesRotated: [], devicesFailed: [] }]);
  });

  it('shows a rotation in progress as a split, naming the devices being rotated', async () => {
    const fp = (await h.context()).fabricPasswords;
    h.fake.arm.operations.polls = 1_000;
    const c = await h.context({ pollLimits: { timeoutMs: 60_000, maxPolls: 2 } });
    await assert.rejects(c.fabricPasswords.rotate(FIXTURE.fabricId, audit), { code: 'AZURE_OPERATION', message: /still Provisioning/ });
    const v = await fp.state(FIXTURE.fabricId);
    assert.equal(v.inProgress, true);
    assert.equal(states(v)['example-device'], 'synchronizing');
    assert.match(v.summary, /a rotation is in progress/);
    assert.equal(events[0]?.type === 'password-rotation' && events[0].outcome, 'failed', 'a rotation not seen to its end is recorded as failed');
  });

  it('reports a partial success per device, leaves the fabric split and records who was not rotated', async () => {
    const fp = (await h.context()).fabricPasswords;
    h.fake.arm.fabricPasswords.failDevices.add('example-device');
    const outcome = await fp.rotate(FIXTURE.fabricId, audit);
    assert.equal(outcome.status, 'Failed');
    assert.equal(outcome.error?.code, 'PartialSuccess');
    assert.deepEqual(outcome.devices.map((d) => [d.name, d.ok, d.reason ?? '']), [
      ['example-fabric', true, ''], ['example-device', false, 'DeviceDisabled: The Network Device is in disabled administrative state. Please perform a resync operation once it is enabled.'],
      ['example-device-2', true, ''],
    ]);
    const v = await fp.state(FIXTURE.fabricId);
    assert.equal(v.activePasswordSets, 2);
    assert.equal(v.split, true);
    assert.deepEqual(events.map((e) => e.type === 'password-rotation' && [e.outcome, e.devicesRotated, e.devicesFailed, e.error?.code]), [['failed', ['example-fabric', 'example-device-2'], ['example-device'], 'PartialSuccess']]);
  });

  it('reports a total failure per target from error.details', async () => {
    const fp = (await h.context()).fabricPasswords;
    h.fake.arm.fabricPasswords.failTerminalServer = true;
    for (const d of ['example-device', 'example-device-2']) h.fake.arm.fabricPasswords.failDevices.add(d);
    const outcome = await fp.rotate(FIXTURE.fabricId, audit);
    assert.equal(outcome.error?.code, 'RotationFailed');
    assert.deepEqual(outcome.devices.map((d) => [d.name, d.ok]), [['TerminalServer', false], ['example-device', false], ['example-device-2', false]]);
    assert.match(outcome.devices[0]!.reason ?? '', /^CouldNotConnect: Could not connect to the Terminal Server/);
  });

  it('records a refused rotation as failed and sends nothing more', async () => {
    const fp = (await h.context()).fabricPasswords;
    const missing = FIXTURE.fabricId.replace('example-fabric', 'no-such-fabric');
    await assert.rejects(fp.rotate(missing, audit), { code: 'AZURE_NOT_FOUND' });
    assert.equal(h.fake.count('arm', (l) => l.path.includes('operationStatuses')), 0);
    assert.equal(events[0]?.type === 'password-rotation' && events[0].error?.code, 'AZURE_NOT_FOUND');
  });
});
