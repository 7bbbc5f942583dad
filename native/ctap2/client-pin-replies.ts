import type { CborMap } from './cbor';
import { type CoseKey, parseCoseKey } from './cose';
import { asBool, asBytes, asMap, asUint, optional, required } from './fields';

// Parsers of authenticatorClientPIN replies (response keys 0x01 keyAgreement, 0x02 token, 0x03 retries, 0x04 powerCycleState).

export interface PinRetries {
  retries: number;
  powerCycleState?: boolean;
}

export function parsePinRetries(m: CborMap): PinRetries {
  const out: PinRetries = { retries: asUint(required(m, 3, 'pinRetries'), 'pinRetries') };
  const pcs = optional(m, 4, 'powerCycleState', asBool);
  if (pcs !== undefined) out.powerCycleState = pcs;
  return out;
}

export function parseKeyAgreementReply(m: CborMap): CoseKey {
  return parseCoseKey(asMap(required(m, 1, 'keyAgreement'), 'keyAgreement'));
}

export function parseTokenReply(m: CborMap): Buffer {
  return asBytes(required(m, 2, 'pinUvAuthToken'), 'pinUvAuthToken');
}
