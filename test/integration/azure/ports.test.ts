// The app-facing ports over the Azure services: every reply parses with the shared contract
// schemas the renderer relies on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { azureInventoryPort, entraKeyServices } from '../../../electron/core/azure/ports';
import { BmmKeyset, ClusterSummary, FabricSummary, NetworkDevice } from '../../../electron/shared/inventory';
import { Readiness, type KeyState } from '../../../electron/shared/keys';
import { skPubLine } from '../../support/fake-azure/keys';
import { FIXTURE, loadFixtureTenant } from '../../support/fake-azure/tenants';
import { startHarness, type Harness } from './setup';

describe('Azure ports for createCore', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    loadFixtureTenant(h.fake);
  });
  after(() => h.close());

  it('lists only fabrics with a role, and their devices, in the contract shapes', async () => {
    const port = azureInventoryPort(await h.context());
    const fabrics = z.array(FabricSummary).parse(await port.fabrics(true));
    assert.deepEqual(fabrics.map((f) => [f.name, f.role, f.viaGroup, f.offline]), [
      ['example-fabric', 'Writer', undefined, false],
      ['fabric-b', 'Reader', `group ${h.fake.idp.user.groups[0]}`, false],
    ]);
    const before = h.fake.log.length;
    const devices = z.array(NetworkDevice).parse(await port.devices(FIXTURE.fabricId.toLowerCase()));
    assert.equal(h.fake.log.length, before, 'devices come from the last scan');
    assert.deepEqual(devices.map((d) => [d.hostName, d.managementIpv4, d.managementIpv6, d.fabricId]), [
      ['NFA-Device', '10.10.10.10', '2F::1', FIXTURE.fabricId], ['NFA-Device-2', '10.10.10.11', '2F::2', FIXTURE.fabricId],
    ]);
  });

  it('lists clusters with machines and keysets', async () => {
    const port = azureInventoryPort(await h.context());
    const clusters = z.array(ClusterSummary).parse(await port.clusters!());
    assert.equal(clusters.length, 1);
    assert.deepEqual(clusters[0]!.machines.map((m) => m.machineName), ['r01c001', 'r01c002']);
    const keysets = z.array(BmmKeyset).parse(await port.keysets!(FIXTURE.clusterId));
    assert.deepEqual(keysets.map((k) => [k.name, k.status, k.users.length]), [['bareMetalMachineKeySetName', 'SomeInvalid', 2]]);
  });

  it('uploads the key and reports readiness in the contract shape', async () => {
    const ctx = await h.context();
    const line = skPubLine();
    const state: KeyState = {
      devices: [{ id: 'hid:1', label: 'YubiKey 5', transport: 'hid', pinRetries: 8 }],
      key: { path: '/home/op/.ssh/id_ed25519_sk', type: 'sk-ssh-ed25519@openssh.com', publicKey: line, fingerprint: 'SHA256:x', resident: true, verifyRequired: true },
    };
    const svc = entraKeyServices(ctx, async () => state);
    const beforeUpload = Readiness.parse(await svc.readiness());
    assert.equal(beforeUpload.checks.find((c) => c.id === 'entra-key')?.status, 'fail');
    await svc.upload(state.key!);
    const r = Readiness.parse(await svc.readiness());
    assert.deepEqual(r.checks.map((c) => [c.id, c.status]), [['local-key', 'ok'], ['entra-key', 'ok'], ['security-key', 'ok'], ['sync', 'warn']]);
  });
});
