// The sk key types a key can create: from getInfo's `algorithms` when it has them, else probed
// (a CTAP 2.0 key that says nothing may still do Ed25519; reporting ecdsa-sk only would hide it).
import { probeAlgorithm } from '../ctap2/algorithm-probe';
import type { OpenKey } from './device';
import { SK_ALGORITHMS, supportedAlgorithms, type SkAlgorithmName } from './ssh-records';

/** ES256 is mandatory for every FIDO2 key, so an unclear probe answer keeps it and drops only others. */
const MANDATORY: SkAlgorithmName = 'ecdsa-sk';

export async function keyAlgorithms(key: OpenKey): Promise<SkAlgorithmName[]> {
  if (key.ctap.algorithms) return supportedAlgorithms(key.ctap);
  const out: SkAlgorithmName[] = [];
  for (const [name, { alg }] of Object.entries(SK_ALGORITHMS) as [SkAlgorithmName, (typeof SK_ALGORITHMS)[SkAlgorithmName]][]) {
    if (name === MANDATORY || (await probeAlgorithm(key.client, key.ctap, alg)) === true) out.push(name);
  }
  return out;
}
