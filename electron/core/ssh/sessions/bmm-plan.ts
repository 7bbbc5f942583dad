// Bare metal machines of a Nexus cluster: which login the operator has (the azureUserName of a
// current BMM keyset that lists the operator's UPN) and which address answers SSH (the machine's
// OAM address). A keyset past its expiration has no valid users (azure-apis.md §5.4: "Expired
// keysets make every user invalid"), so it is skipped.
import { NbgError } from '../../../../native/errors';
import { ErrorCode } from '../../../shared/error-codes';
import type { Identity } from '../../../shared/identity';
import type { BareMetalMachine, ClusterSummary } from '../../../shared/inventory';

const SSH_PORT = 22;

export class UnknownMachineError extends NbgError {
  constructor(machine: string) {
    super(ErrorCode.UNKNOWN_DEVICE, `Machine ${machine} is not in the cluster's inventory; refresh the cluster list.`);
  }
}

export class NoBmmKeysetError extends NbgError {
  constructor(cluster: string, upn: string | undefined) {
    super(ErrorCode.NO_BMM_KEYSET, `${upn ?? 'You'} ${upn ? 'is' : 'are'} in no current BMM keyset of cluster ${cluster}: ` +
      'bare metal machines take only keyset users. Ask a keyset administrator to add you (nbg keysets update).');
  }
}

export class NoOamAddressError extends NbgError {
  constructor(machine: string) {
    super(ErrorCode.NO_ADDRESS, `${machine} has no OAM address in the inventory.`);
  }
}

/** The cluster and machine named by id (or name), from the inventory's clusters. */
export function findMachine(clusters: ClusterSummary[], clusterId: string, machineId: string): { cluster: ClusterSummary; machine: BareMetalMachine } {
  const cluster = clusters.find((c) => c.id.toLowerCase() === clusterId.toLowerCase() || c.name.toLowerCase() === clusterId.toLowerCase());
  const wanted = machineId.toLowerCase();
  const machine = cluster?.machines.find((m) => m.id.toLowerCase() === wanted)
    ?? cluster?.machines.find((m) => m.name.toLowerCase() === wanted || m.machineName?.toLowerCase() === wanted);
  if (!cluster || !machine) throw new UnknownMachineError(machineId);
  return { cluster, machine };
}

/** The operator's login on the cluster's machines: the user of a current keyset that names their UPN. */
export function bmmLogin(cluster: ClusterSummary, identity: Identity | null, now: number): string {
  const upn = identity?.userPrincipalName.toLowerCase();
  for (const keyset of cluster.keysets) {
    const expires = Date.parse(keyset.expiration);
    if (Number.isFinite(expires) && expires <= now) continue;
    const user = keyset.users.find((u) => upn !== undefined && u.userPrincipalName?.toLowerCase() === upn);
    if (user) return user.azureUserName;
  }
  throw new NoBmmKeysetError(cluster.name, identity?.userPrincipalName);
}

/** The OAM address, where the machine answers SSH. */
export function oamAddress(machine: BareMetalMachine): { host: string; port: number } {
  if (!machine.oamIpv4) throw new NoOamAddressError(machine.machineName ?? machine.name);
  return { host: machine.oamIpv4, port: machine.sshPort ?? SSH_PORT };
}
