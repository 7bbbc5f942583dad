// ssh_config as one more group of hosts beside the fabrics: when the files name concrete Host
// aliases, the inventory gains an "SSH config" entry whose devices are those aliases, so the
// device list, the quick-connect palette and the connect dialog offer them with no code of their
// own; the connect planner dials them through the ssh_config resolver (connect-plan.ts).
import { errorMessage } from '../../../native/errors';
import { inertText } from '../../shared/inert-text';
import type { FabricSummary, NetworkDevice } from '../../shared/inventory';
import type { InventoryService } from '../azure/inventory-service';
import type { SshConfigSource } from './ssh-config-source';

/** The id of the ssh_config group; no ARM id looks like it (those start with /subscriptions/). */
export const SSH_CONFIG_FABRIC_ID = 'ssh-config';
const ROLE = 'SSH config host';
const MAX_SHOWN_TEXT = 64;

export function isSshConfigFabric(fabricId: string): boolean {
  return fabricId.toLowerCase() === SSH_CONFIG_FABRIC_ID;
}

/** Text from the operator's files, made inert and cut to what the row holds. */
const clip = (raw: string): string => {
  const text = inertText(raw);
  return text.length > MAX_SHOWN_TEXT ? `${text.slice(0, MAX_SHOWN_TEXT - 1)}…` : text;
};

/** One alias as a device row: where it resolves to, and through what; a problem in its state. */
async function aliasDevice(source: SshConfigSource, alias: string): Promise<NetworkDevice> {
  const base = { id: alias, name: alias, fabricId: SSH_CONFIG_FABRIC_ID, role: ROLE, hostName: alias };
  try {
    const route = await source.route(alias);
    const t = route.target;
    const via = route.chain.map((h) => h.alias);
    return {
      ...base, managementIpv4: clip(t.host), sshPort: t.port,
      configurationState: clip(via.length ? `as ${t.user}, via ${via.join(' → ')}` : `as ${t.user}, direct`),
    };
  } catch (err) {
    // The row has little room: the file by its name only (the connect dialog gives the whole message).
    const message = errorMessage(err).replace(/^(.*[\\/])?([^\\/]+:\d+: )/, '$2');
    return { ...base, configurationState: clip(`does not resolve: ${message}`) };
  }
}

export function withSshConfigHosts(inventory: InventoryService, source: SshConfigSource): InventoryService {
  const aliases = async (): Promise<string[]> => (await source.aliases()).aliases;
  // Everything else the inventory offers (clusters, keysets, password rotation, …) passes through.
  return {
    ...inventory,
    async fabrics(refresh) {
      const [fabrics, names] = await Promise.all([inventory.fabrics(refresh), aliases().catch(() => undefined)]);
      // A file that cannot be read still shows the group: its device list says why.
      if (names !== undefined && names.length === 0) return fabrics;
      const group: FabricSummary = {
        id: SSH_CONFIG_FABRIC_ID, name: 'SSH config', resourceGroup: '', subscriptionId: '', location: clip(await source.filesText()),
        role: 'Writer', deviceCount: names?.length ?? 0, lastSynced: Date.now(), offline: false, drill: false, sshConfig: true,
      };
      return [...fabrics, group];
    },
    async devices(fabricId) {
      if (!isSshConfigFabric(fabricId)) return inventory.devices(fabricId);
      return Promise.all((await aliases()).map((alias) => aliasDevice(source, alias)));
    },
  };
}
