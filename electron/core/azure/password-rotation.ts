// Method D v1.5 password rotation state of a fabric, from what ManagedNetworkFabric 2025-07-15
// reports: each device's `secretRotationStatus` (per secret: type, synchronizationStatus
// InSync | Synchronizing | OutOfSync, the Key Vault secret version it holds, lastRotationTime) and
// the fabric's `secretRotationSummary.activePasswordSetCount` (azure-rest-api-specs
// .../ManagedNetworkFabric/stable/2025-07-15/examples/NetworkDevices_Get.json and NetworkFabrics_Get.json;
// field meanings from the SDK model NetworkFabricSecretRotationStatus). A fabric is split when its
// devices hold different versions of a secret, or one is not in sync: a password taken from Key
// Vault may then work on some devices and not on others. Pure: no I/O.
import { z } from 'zod';
import type { DevicePasswordState, PasswordRotationView } from '../../shared/inventory';

const str = z.string().nullish().transform((v) => v ?? '');

export const secretRotationSchema = z.array(z.object({
  lastRotationTime: str,
  synchronizationStatus: str,
  secretType: str,
  secretArchiveReference: z.object({ secretName: str, secretVersion: str }).passthrough().nullish(),
}).passthrough()).nullish().transform((v) => v ?? []);

export type SecretRotation = z.infer<typeof secretRotationSchema>[number];

export interface DeviceSecrets {
  id: string;
  name: string;
  hostName: string;
  /** Empty when the device reports none (an older api-version or a device never rotated). */
  secrets: SecretRotation[];
}

/** Worst first: what a login should be warned about most. */
const SEVERITY: readonly DevicePasswordState[] = ['out-of-sync', 'synchronizing', 'older', 'unknown', 'current'];

interface Finding { state: DevicePasswordState; secret: string }

/** The version of each secret type with the latest rotation time: what Key Vault holds now. */
function latestVersions(devices: DeviceSecrets[]): Map<string, { version: string; at: number }> {
  const latest = new Map<string, { version: string; at: number }>();
  for (const d of devices) {
    for (const s of d.secrets) {
      const version = s.secretArchiveReference?.secretVersion ?? '';
      const at = Date.parse(s.lastRotationTime) || 0;
      const seen = latest.get(s.secretType);
      if (version && (!seen || at > seen.at)) latest.set(s.secretType, { version, at });
    }
  }
  return latest;
}

function findings(d: DeviceSecrets, latest: Map<string, { version: string; at: number }>): Finding[] {
  return d.secrets.map((s): Finding => {
    const sync = s.synchronizationStatus.toLowerCase();
    if (sync === 'outofsync') return { state: 'out-of-sync', secret: s.secretType };
    if (sync === 'synchronizing') return { state: 'synchronizing', secret: s.secretType };
    const want = latest.get(s.secretType)?.version;
    const have = s.secretArchiveReference?.secretVersion ?? '';
    if (want && have && want !== have) return { state: 'older', secret: s.secretType };
    return { state: sync === 'insync' ? 'current' : 'unknown', secret: s.secretType };
  });
}

const WHY: Record<DevicePasswordState, string> = {
  'out-of-sync': 'has not been given the latest password',
  synchronizing: 'is being given the new password right now',
  older: 'holds an older password version',
  unknown: 'reports no rotation state',
  current: 'holds the latest passwords',
};

export function rotationView(devices: DeviceSecrets[], fabric: { activePasswordSetCount?: number | null; lastRotationTime?: string }): PasswordRotationView {
  const latest = latestVersions(devices);
  const rows = devices.map((d) => {
    const found = findings(d, latest);
    const state = found.length === 0 ? 'unknown' : SEVERITY.find((s) => found.some((f) => f.state === s)) ?? 'current';
    const secrets = found.filter((f) => f.state === state).map((f) => f.secret).filter(Boolean);
    return {
      id: d.id, name: d.name, ...(d.hostName ? { hostName: d.hostName } : {}), state,
      detail: `${WHY[state]}${state !== 'current' && state !== 'unknown' && secrets.length ? ` (${secrets.join(', ')})` : ''}`,
    };
  });
  const sets = fabric.activePasswordSetCount ?? undefined;
  const affected = rows.filter((r) => r.state === 'out-of-sync' || r.state === 'synchronizing' || r.state === 'older');
  const split = affected.length > 0 || (sets ?? 0) > 1;
  const inProgress = rows.some((r) => r.state === 'synchronizing');
  const known = rows.some((r) => r.state !== 'unknown') || sets !== undefined;
  const times = devices.flatMap((d) => d.secrets.map((s) => Date.parse(s.lastRotationTime))).filter((t) => Number.isFinite(t));
  const lastRotationTime = fabric.lastRotationTime ?? (times.length ? new Date(Math.max(...times)).toISOString() : undefined);
  const summary = !known
    ? 'The password rotation state of this fabric is not known.'
    : split
      ? `The fabric's passwords are split${sets && sets > 1 ? ` (${sets} password sets in use)` : ''}${inProgress ? ', a rotation is in progress' : ''}: `
        + `a v1.5 password may work on some devices and not on others.${affected.length ? ` Affected: ${affected.map((r) => r.name).join(', ')}.` : ''}`
      : 'Every device holds the latest passwords.';
  return {
    known, split, inProgress, summary, devices: rows,
    ...(lastRotationTime ? { lastRotationTime } : {}), ...(sets !== undefined ? { activePasswordSets: sets } : {}),
  };
}

/** The row for `device` (ARM id, name or host name), if the view has it. */
export function deviceRotation(view: PasswordRotationView, device: string): PasswordRotationView['devices'][number] | undefined {
  const d = device.toLowerCase();
  return view.devices.find((r) => r.id.toLowerCase() === d || r.name.toLowerCase() === d || r.hostName?.toLowerCase() === d);
}
