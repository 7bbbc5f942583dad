// CTAP records → OpenSSH records. CTAP speaks COSE algorithms and raw public keys; OpenSSH names
// the key type (sk-ssh-ed25519@openssh.com, ...) and calls the rpId its "application".
import { CoseAlg } from '../ctap2/cose';
import type { Assertion, ExpectedSigner } from '../ctap2/get-assertion';
import type { AuthenticatorInfo } from '../ctap2/getinfo';
import type { MakeCredentialResult } from '../ctap2/make-credential';
import { SkKeyType, type SkAssertion, type SkCredential, type SkPublicKey } from '../sk/types';

/** ssh-keygen's -t names for the two sk key types. */
export type SkAlgorithmName = 'ed25519-sk' | 'ecdsa-sk';

export const SK_ALGORITHMS: Record<SkAlgorithmName, { type: SkKeyType; alg: CoseAlg }> = {
  'ed25519-sk': { type: SkKeyType.Ed25519, alg: CoseAlg.EdDSA },
  'ecdsa-sk': { type: SkKeyType.EcdsaP256, alg: CoseAlg.ES256 },
};

const SK_ALGORITHM_NAMES = Object.keys(SK_ALGORITHMS) as SkAlgorithmName[];

export function skKeyType(alg: CoseAlg): SkKeyType {
  return alg === CoseAlg.EdDSA ? SkKeyType.Ed25519 : SkKeyType.EcdsaP256;
}

/** The sk key types a key can create, from the algorithms its getInfo announces (keys without the list: algorithms.ts). */
export function supportedAlgorithms(info: Pick<AuthenticatorInfo, 'algorithms'>): SkAlgorithmName[] {
  const algs = new Set((info.algorithms ?? []).filter((a) => a.type === 'public-key').map((a) => a.alg));
  return SK_ALGORITHM_NAMES.filter((n) => algs.has(SK_ALGORITHMS[n].alg));
}

/** The stored sk public key as the signer a CTAP reply must verify with. */
export function expectedSigner(pub: Pick<SkPublicKey, 'type' | 'publicKey'>): ExpectedSigner {
  return { alg: pub.type === SkKeyType.Ed25519 ? CoseAlg.EdDSA : CoseAlg.ES256, publicKey: pub.publicKey };
}

export function skCredential(c: MakeCredentialResult): SkCredential {
  return {
    type: skKeyType(c.alg), publicKey: c.publicKey, application: c.rpId, credentialId: c.credentialId,
    authData: c.authData, fmt: c.fmt, userId: c.userId, credProtect: c.credProtect,
  };
}

export function skAssertion(a: Assertion): SkAssertion {
  return { authData: a.authData, signature: a.signature, flags: a.flags, counter: a.counter };
}
