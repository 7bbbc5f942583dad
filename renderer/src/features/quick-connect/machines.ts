// Bare metal machines for the quick-connect palette: every machine of every Network Cloud cluster,
// shaped like a device row (name, OS host name, role "BMM", OAM address) so it is found and ranked
// the same way, and connected to with target 'bmm' (core plans it with the operator's keyset login).
import type { ClusterSummary, NetworkDevice } from '../../../../electron/shared/inventory';
import { call, errorText } from '../../api';

export const BMM_ROLE = 'BMM';

export interface MachineRow {
  device: NetworkDevice;
  /** The cluster's name, shown where a device shows its fabric's. */
  fabricName: string;
  target: 'bmm';
}

export function machineRows(clusters: ClusterSummary[]): MachineRow[] {
  return clusters.flatMap((c) => c.machines.map((m): MachineRow => ({
    device: {
      id: m.id, name: m.name, fabricId: c.id, role: BMM_ROLE, hostName: m.machineName ?? m.name,
      ...(m.oamIpv4 ? { managementIpv4: m.oamIpv4 } : {}), ...(m.sshPort ? { sshPort: m.sshPort } : {}),
    },
    fabricName: c.name,
    target: 'bmm',
  })));
}

/** The machines, or why they cannot be listed now (a fabric device needs no cluster: a note, not a failure). */
export async function loadMachines(): Promise<{ rows: MachineRow[]; problem?: string }> {
  try {
    return { rows: machineRows(await call('core:clusters.list')) };
  } catch (err) {
    return { rows: [], problem: `Bare metal machines are not available now: ${errorText(err)}` };
  }
}
