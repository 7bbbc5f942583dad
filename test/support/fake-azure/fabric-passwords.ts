// ManagedNetworkFabric 2025-07-15 password rotation, shaped by the spec examples (azure-rest-api-specs
// specification/managednetworkfabric/resource-manager/Microsoft.ManagedNetworkFabric/stable/2025-07-15/examples/):
// - POST {fabric}/rotatePasswords answers 202 with a Location monitor (NetworkFabrics_RotatePasswords.json,
//   commit e67e1800b4e8bca644308400e2c17569d1392584); while it runs, the fabric's devices report their
//   secrets Synchronizing.
// - Its final status is 200 {status: Succeeded} when every device rotated (same example); 200
//   {status: Failed, error: PartialSuccess, operations: [{resourceId, status, error?}]} when some did
//   (NetworkFabrics_RotatePasswords_PartialSuccess.json, commit 517677a5bb5f481c8076b35676ee4bc45de76638;
//   the terminal server's failure is reported on the fabric's own resourceId); 200 {status: Failed,
//   error: RotationFailed with details [{code, message, target}]} when none did
//   (NetworkFabrics_RotatePasswords_Error.json, commit 10936f3580808a031acfadffe8eae35aa29a9b5d).
// - Afterwards each device's secretRotationStatus holds the new Key Vault secret version InSync, or
//   the old one OutOfSync where rotation failed; the fabric's secretRotationSummary.activePasswordSetCount
//   counts the password sets in use (fields as in NetworkDevices_Get.json / NetworkFabrics_Get.json).
import { randomBytes } from 'node:crypto';
import { armError, type FakeReply } from './http-util';
import type { ArmResource } from './arm';
import type { FakeOperations } from './operations';

const DEVICE_TYPE = 'microsoft.managednetworkfabric/networkdevices';
const RACK_TYPE = 'microsoft.managednetworkfabric/networkracks';
const lc = (s: string): string => s.toLowerCase();
type Secret = { lastRotationTime?: string; synchronizationStatus?: string; secretType?: string; secretArchiveReference?: Record<string, unknown> };

export class FakeFabricPasswords {
  /** Device names whose rotation fails (DeviceDisabled, as in the PartialSuccess example). */
  readonly failDevices = new Set<string>();
  /** The terminal server cannot be reached (CouldNotConnect). */
  failTerminalServer = false;
  /** rotatePasswords calls received, by fabric id. */
  readonly calls: string[] = [];

  constructor(private readonly resources: () => Iterable<ArmResource>, private readonly get: (id: string) => ArmResource | undefined, private readonly ops: FakeOperations) {}

  /** The fabric's devices: linked directly, or through their rack (as the inventory links them). */
  private devicesOf(fabricId: string): ArmResource[] {
    const all = [...this.resources()];
    const rackFabric = new Map(all.filter((r) => lc(r.type) === RACK_TYPE).map((r) => [lc(r.id), lc(String(r.properties?.networkFabricId ?? ''))]));
    return all.filter((r) => lc(r.type) === DEVICE_TYPE).filter((d) => {
      const direct = lc(String(d.properties?.networkFabricId ?? ''));
      return (direct || rackFabric.get(lc(String(d.properties?.networkRackId ?? ''))) || '') === lc(fabricId);
    });
  }

  private static secrets(d: ArmResource): Secret[] {
    return (d.properties?.secretRotationStatus as Secret[] | undefined) ?? [];
  }

  private static setSecrets(d: ArmResource, fn: (s: Secret) => Secret): void {
    d.properties = { ...d.properties, secretRotationStatus: FakeFabricPasswords.secrets(d).map(fn) };
  }

  rotate(fabricId: string): FakeReply {
    const fabric = this.get(fabricId);
    if (!fabric) return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.ManagedNetworkFabric/networkFabrics/${fabricId.split('/').pop()}' was not found.`);
    this.calls.push(fabricId);
    const devices = this.devicesOf(fabricId);
    for (const d of devices) FakeFabricPasswords.setSecrets(d, (s) => ({ ...s, synchronizationStatus: 'Synchronizing' }));
    const failing = new Set(this.failDevices);
    const failTs = this.failTerminalServer;
    const url = this.ops.start(fabric.id, () => {}, {
      provider: 'Microsoft.ManagedNetworkFabric', apiVersion: '2025-07-15',
      finish: () => this.finish(fabric, devices, failing, failTs),
    });
    return { status: 202, headers: { location: url, 'retry-after': this.ops.retryAfter } };
  }

  private finish(fabric: ArmResource, devices: ArmResource[], failing: Set<string>, failTs: boolean) {
    const now = new Date().toISOString();
    const results = devices.map((d) => {
      const failed = failing.has(d.name);
      FakeFabricPasswords.setSecrets(d, (s) => (failed
        ? { ...s, synchronizationStatus: 'OutOfSync' }
        : { ...s, synchronizationStatus: 'InSync', lastRotationTime: now, secretArchiveReference: { ...s.secretArchiveReference, secretVersion: randomBytes(16).toString('hex') } }));
      return { resourceId: d.id, failed };
    });
    const anyFailed = failTs || results.some((r) => r.failed);
    fabric.properties = { ...fabric.properties, secretRotationSummary: { activePasswordSetCount: anyFailed ? 2 : 1 } };
    if (!anyFailed) return { status: 'Succeeded' as const };
    const deviceError = { code: 'DeviceDisabled', message: 'The Network Device is in disabled administrative state. Please perform a resync operation once it is enabled.' };
    const tsError = { code: 'CouldNotConnect', message: 'Could not connect to the Terminal Server to configure new passwords.' };
    if (results.every((r) => r.failed) && (failTs || results.length > 0)) {
      return {
        status: 'Failed' as const,
        error: {
          code: 'RotationFailed', message: 'Rotation failed for all devices. Please address any issues and perform resync operations for the affected devices.',
          details: [
            ...(failTs ? [{ ...tsError, target: 'TerminalServer' }] : []),
            ...results.map((r) => ({ code: 'CouldNotConnect', message: 'Could not connect to the device to configure new passwords.', target: r.resourceId })),
          ],
        },
      };
    }
    return {
      status: 'Failed' as const,
      error: { code: 'PartialSuccess', message: 'Rotation succeeded for only some devices. Please address any issues and perform resync operations for the affected devices.' },
      operations: [
        ...(failTs ? [{ resourceId: fabric.id, status: 'Failed', error: tsError }] : [{ resourceId: fabric.id, status: 'Succeeded' }]),
        ...results.map((r) => (r.failed ? { resourceId: r.resourceId, status: 'Failed', error: deviceError } : { resourceId: r.resourceId, status: 'Succeeded' })),
      ],
    };
  }
}
