// What an inventory scan produces and the offline cache keeps: subscriptions, fabrics with the
// operator's role, and devices, with the schema the cache is read back through.
import { z } from 'zod';
import type { FabricRole } from './role-grants';

export interface SubscriptionInfo { subscriptionId: string; displayName: string; state: string }

export interface FabricInfo {
  id: string;
  name: string;
  subscriptionId: string;
  subscriptionName: string;
  resourceGroup: string;
  location: string;
  role: FabricRole | null;
  /** The best grant comes only through a group (nested groups are not honoured by Nexus). */
  viaGroup: boolean;
  groupId: string | null;
  /** Role assignments could not be read for this subscription. */
  roleUnknown: boolean;
  deviceCount: number;
  provisioningState: string;
  administrativeState: string;
  configurationState: string;
}

export interface DeviceInfo {
  id: string;
  name: string;
  fabricId: string | null;
  role: string;
  hostName: string;
  managementIpv4: string | null;
  /** Prefix length stripped ("2F::1/100" → "2F::1"). */
  managementIpv6: string | null;
  serialNumber: string;
  version: string;
  administrativeState: string;
  configurationState: string;
  provisioningState: string;
  operationalState: string;
}

export interface InventorySnapshot {
  fetchedAt: string;
  principal: { objectId: string; tenantId: string; username: string };
  source: 'resource-graph' | 'rest';
  subscriptions: SubscriptionInfo[];
  fabrics: FabricInfo[];
  devices: DeviceInfo[];
  /** Partial failures that did not stop the scan (a 403 on one subscription...). */
  warnings: string[];
}

export interface InventoryView extends InventorySnapshot {
  fromCache: boolean;
  ageSeconds: number;
  /** Why the cache was served instead of a live scan. */
  offlineReason?: string;
}

export const deviceInfoSchema = z.object({
  id: z.string(), name: z.string(), fabricId: z.string().nullable(), role: z.string(), hostName: z.string(),
  managementIpv4: z.string().nullable(), managementIpv6: z.string().nullable(), serialNumber: z.string(), version: z.string(),
  administrativeState: z.string(), configurationState: z.string(), provisioningState: z.string(), operationalState: z.string(),
});
export const fabricInfoSchema = z.object({
  id: z.string(), name: z.string(), subscriptionId: z.string(), subscriptionName: z.string(), resourceGroup: z.string(), location: z.string(),
  role: z.enum(['Reader', 'Writer']).nullable(), viaGroup: z.boolean(), groupId: z.string().nullable(), roleUnknown: z.boolean(), deviceCount: z.number(),
  provisioningState: z.string(), administrativeState: z.string(), configurationState: z.string(),
});
export const inventorySnapshotSchema = z.object({
  fetchedAt: z.string(),
  principal: z.object({ objectId: z.string(), tenantId: z.string(), username: z.string() }),
  source: z.enum(['resource-graph', 'rest']),
  subscriptions: z.array(z.object({ subscriptionId: z.string(), displayName: z.string(), state: z.string() })),
  fabrics: z.array(fabricInfoSchema),
  devices: z.array(deviceInfoSchema),
  warnings: z.array(z.string()),
});

