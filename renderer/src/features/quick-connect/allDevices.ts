// Every device of every fabric the operator may reach (from the offline cache when Azure is
// unreachable), and the connect history — what the palette and the fleet picker search.
import type { FabricSummary, NetworkDevice } from '../../../../electron/shared/inventory';
import type { ConnectHistory } from '../../../../electron/shared/workspace';
import { call, errorText } from '../../api';

export interface AllDevices {
  fabrics: FabricSummary[];
  devices: { device: NetworkDevice; fabricName: string }[];
  /** Fabrics whose device list could not be read, with why. */
  problems: string[];
  history: ConnectHistory | undefined;
}

export async function loadAllDevices(historyAvailable: boolean): Promise<AllDevices> {
  const [fabrics, history] = await Promise.all([
    call('core:fabrics.list', { refresh: false }),
    historyAvailable ? call('core:history.get').catch(() => undefined) : Promise.resolve(undefined),
  ]);
  const lists = await Promise.allSettled(fabrics.map((f) => call('core:fabrics.devices', { fabricId: f.id })));
  const devices: AllDevices['devices'] = [];
  const problems: string[] = [];
  lists.forEach((r, i) => {
    const fabric = fabrics[i];
    if (!fabric) return;
    if (r.status === 'fulfilled') for (const device of r.value) devices.push({ device, fabricName: fabric.name });
    else problems.push(`${fabric.name}: ${errorText(r.reason)}`);
  });
  return { fabrics, devices, problems, history };
}

/** The oldest sync among fabrics shown from the offline cache; undefined when all are live. */
export function offlineSince(fabrics: FabricSummary[]): number | undefined {
  const offline = fabrics.filter((f) => f.offline);
  return offline.length ? Math.min(...offline.map((f) => f.lastSynced)) : undefined;
}
