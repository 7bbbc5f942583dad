// The two kinds of NetworkCloud keyset under a cluster. They share users, expiry, the Entra group,
// the write rules (LRO, ETag/If-Match) and the per-user status; they differ in where they live,
// their privilege levels and which fields they carry. Facts from the 2025-09-01 spec
// (BareMetalMachineKeySet* and BmcKeySet* definitions and examples in azure-rest-api-specs
// specification/networkcloud/resource-manager/Microsoft.NetworkCloud/NetworkCloud/stable/2025-09-01).
export interface KeysetKind {
  /** Short name for messages and options: 'bmm' | 'bmc'. */
  id: 'bmm' | 'bmc';
  /** Operator word: "BMM keyset". */
  noun: string;
  /** Child resource segment under the cluster. */
  segment: string;
  /** ARM type, as the service reports it. */
  type: string;
  privilegeLevels: readonly string[];
  /** Privilege level a create uses when none is given. */
  defaultPrivilege: string;
  /** BMM keysets carry jump hosts, an OS group and a named "Other" privilege; BMC keysets none of them. */
  machineAccess: boolean;
  /** Fields a PATCH may change (the *PatchProperties definition), as KeysetUpdate names them. */
  patchable: readonly ('expiration' | 'jumpHostsAllowed' | 'users')[];
  /** Who loses access when a user is removed. */
  reach: string;
}

export const BMM_KEYSETS: KeysetKind = {
  id: 'bmm', noun: 'BMM keyset', segment: 'bareMetalMachineKeySets', type: 'Microsoft.NetworkCloud/clusters/bareMetalMachineKeySets',
  privilegeLevels: ['Standard', 'Superuser', 'Other'], defaultPrivilege: 'Standard', machineAccess: true,
  patchable: ['expiration', 'jumpHostsAllowed', 'users'], reach: 'the machines',
};

export const BMC_KEYSETS: KeysetKind = {
  id: 'bmc', noun: 'BMC keyset', segment: 'bmcKeySets', type: 'Microsoft.NetworkCloud/clusters/bmcKeySets',
  privilegeLevels: ['ReadOnly', 'Administrator'], defaultPrivilege: 'ReadOnly', machineAccess: false,
  patchable: ['expiration', 'users'], reach: 'the baseboard management controllers',
};
