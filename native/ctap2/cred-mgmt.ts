import type { CborMap } from './cbor';
import { type CredentialPublicKey, credentialPublicKey, parseCoseKey } from './cose';
import { asBytes, asMap, asText, asUint, optional, required } from './fields';

export const CredMgmtSub = {
  getCredsMetadata: 0x01,
  enumerateRPsBegin: 0x02,
  enumerateRPsGetNextRP: 0x03,
  enumerateCredentialsBegin: 0x04,
  enumerateCredentialsGetNextCredential: 0x05,
  deleteCredential: 0x06,
  updateUserInformation: 0x07,
} as const;

export const CredMgmtKey = { subCommand: 1, subCommandParams: 2, pinUvAuthProtocol: 3, pinUvAuthParam: 4 } as const;
export const CredMgmtParam = { rpIdHash: 1, credentialId: 2, user: 3 } as const;

export interface CredsMetadata {
  existingResidentCredentialsCount: number;
  maxPossibleRemainingResidentCredentialsCount: number;
}

export interface RpEntry {
  rpId?: string;
  rpName?: string;
  rpIdHash: Buffer;
  total?: number;
}

export interface ResidentCredential extends CredentialPublicKey {
  userId: Buffer;
  userName?: string;
  userDisplayName?: string;
  credentialId: Buffer;
  credProtect?: number;
  total?: number;
}

export function parseCredsMetadata(m: CborMap): CredsMetadata {
  return {
    existingResidentCredentialsCount: asUint(required(m, 1, 'existingResidentCredentialsCount'), 'existingResidentCredentialsCount'),
    maxPossibleRemainingResidentCredentialsCount: asUint(required(m, 2, 'maxPossibleRemainingResidentCredentialsCount'), 'maxPossibleRemainingResidentCredentialsCount'),
  };
}

export function parseRpEntry(m: CborMap): RpEntry {
  const rp = asMap(required(m, 3, 'rp'), 'rp');
  const out: RpEntry = { rpIdHash: asBytes(required(m, 4, 'rpIDHash'), 'rpIDHash') };
  const id = optional(rp, 'id', 'rp id', asText);
  if (id !== undefined) out.rpId = id;
  const name = optional(rp, 'name', 'rp name', asText);
  if (name !== undefined) out.rpName = name;
  const total = optional(m, 5, 'totalRPs', asUint);
  if (total !== undefined) out.total = total;
  return out;
}

export function parseCredentialEntry(m: CborMap): ResidentCredential {
  const user = asMap(required(m, 6, 'user'), 'user');
  const cred = asMap(required(m, 7, 'credentialID'), 'credentialID');
  const cose = parseCoseKey(asMap(required(m, 8, 'publicKey'), 'publicKey'));
  const out: ResidentCredential = {
    userId: asBytes(required(user, 'id', 'user id'), 'user id'),
    credentialId: asBytes(required(cred, 'id', 'credential id'), 'credential id'),
    ...credentialPublicKey(cose),
  };
  const name = optional(user, 'name', 'user name', asText);
  if (name !== undefined) out.userName = name;
  const dn = optional(user, 'displayName', 'user displayName', asText);
  if (dn !== undefined) out.userDisplayName = dn;
  const total = optional(m, 9, 'totalCredentials', asUint);
  if (total !== undefined) out.total = total;
  const cp = optional(m, 0x0a, 'credProtect', asUint);
  if (cp !== undefined) out.credProtect = cp;
  return out;
}
