// Fabrics, devices, clusters and bare metal machines the operator may reach.
import { z } from 'zod';

export const AccessRole = z.enum(['Reader', 'Writer']);
export type AccessRole = z.infer<typeof AccessRole>;

export const FabricSummary = z.object({
  id: z.string().max(1024),
  name: z.string().max(256),
  resourceGroup: z.string().max(256),
  subscriptionId: z.string().max(64),
  location: z.string().max(64).optional(),
  role: AccessRole,
  /** Display name of the Entra group the role comes through; absent when assigned directly. */
  viaGroup: z.string().max(256).optional(),
  deviceCount: z.number().int().nonnegative(),
  /** Epoch ms of the last successful inventory sync. */
  lastSynced: z.number().int().nonnegative(),
  /** True when shown from the local cache because Azure could not be reached. */
  offline: z.boolean(),
  drill: z.boolean().default(false),
  /** Not a fabric: the hosts of the operator's ssh_config (location names the files read). */
  sshConfig: z.boolean().optional(),
});
export type FabricSummary = z.infer<typeof FabricSummary>;

export const NetworkDevice = z.object({
  id: z.string().max(1024),
  name: z.string().max(256),
  fabricId: z.string().max(1024),
  role: z.string().max(32),
  hostName: z.string().max(256),
  managementIpv4: z.string().max(64).optional(),
  managementIpv6: z.string().max(64).optional(),
  /** SSH port on the management address (22 unless the inventory says otherwise, e.g. drills). */
  sshPort: z.number().int().min(1).max(65535).optional(),
  /** In-band loopback used as the backup path when the management network is down. */
  backupAddress: z.string().max(64).optional(),
  backupPort: z.number().int().min(1).max(65535).optional(),
  provisioningState: z.string().max(64).optional(),
  administrativeState: z.string().max(64).optional(),
  configurationState: z.string().max(64).optional(),
  /** The device takes only Method D v1.5 (password) logins: the connect dialog opens on that path. */
  v15Only: z.boolean().optional(),
});
export type NetworkDevice = z.infer<typeof NetworkDevice>;

export const KeysetUser = z.object({
  azureUserName: z.string().max(256),
  /** The Entra user the login belongs to: how the operator's own keyset login is found. */
  userPrincipalName: z.string().max(256).optional(),
  description: z.string().max(512).optional(),
  sshPublicKey: z.string().max(2048),
});

export const BmmKeyset = z.object({
  id: z.string().max(1024),
  name: z.string().max(256),
  privilegeLevel: z.string().max(32),
  expiration: z.string().max(64),
  jumpHostsAllowed: z.array(z.string().max(64)).max(64),
  users: z.array(KeysetUser).max(256),
  status: z.string().max(64).optional(),
});
export type BmmKeyset = z.infer<typeof BmmKeyset>;

export const BareMetalMachine = z.object({
  id: z.string().max(1024),
  name: z.string().max(256),
  machineName: z.string().max(256).optional(),
  oamIpv4: z.string().max(64).optional(),
  /** SSH port on the OAM address (22 unless the inventory says otherwise, e.g. drills). */
  sshPort: z.number().int().min(1).max(65535).optional(),
  powerState: z.string().max(64).optional(),
  readyState: z.string().max(64).optional(),
});
export type BareMetalMachine = z.infer<typeof BareMetalMachine>;

export const ClusterSummary = z.object({
  id: z.string().max(1024),
  name: z.string().max(256),
  fabricId: z.string().max(1024).optional(),
  machines: z.array(BareMetalMachine).max(1024),
  keysets: z.array(BmmKeyset).max(256),
  /** BMC (baseboard management controller) keysets: same shape, privilege ReadOnly or Administrator, no jump hosts. */
  bmcKeysets: z.array(BmmKeyset).max(256).optional(),
  /** Shown from the local cache because Azure could not be reached; lastSynced says how old. */
  offline: z.boolean().optional(),
  /** Epoch ms of the listing this comes from. */
  lastSynced: z.number().int().nonnegative().optional(),
});
export type ClusterSummary = z.infer<typeof ClusterSummary>;

/** Where one device stands in the fabric's Method D v1.5 password rotation. */
export const DevicePasswordState = z.enum(['current', 'older', 'synchronizing', 'out-of-sync', 'unknown']);
export type DevicePasswordState = z.infer<typeof DevicePasswordState>;

/**
 * The fabric's v1.5 password rotation (ManagedNetworkFabric 2025-07-15): a split means devices
 * hold different password versions, so one password may work on some devices and not on others.
 */
export const PasswordRotationView = z.object({
  /** False where the inventory cannot tell (a drill, or Azure not answering). */
  known: z.boolean(),
  split: z.boolean(),
  /** Some device is being given the new password right now. */
  inProgress: z.boolean(),
  lastRotationTime: z.string().max(64).optional(),
  /** The fabric's count of password sets in use; more than one is a split. */
  activePasswordSets: z.number().int().nonnegative().optional(),
  /** One operator sentence: what this means for a v1.5 login. */
  summary: z.string().max(1024),
  devices: z.array(z.object({
    id: z.string().max(1024),
    name: z.string().max(256),
    hostName: z.string().max(256).optional(),
    state: DevicePasswordState,
    /** Which secrets and why, in words. */
    detail: z.string().max(1024),
  })).max(2048),
});
export type PasswordRotationView = z.infer<typeof PasswordRotationView>;
