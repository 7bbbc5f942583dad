// Whether a key accepts a COSE algorithm for new credentials when its getInfo does not say: CTAP
// 2.0 keys have no `algorithms` member (solo1, YubiKey 5.0-5.1), yet many do EdDSA. The probe is a
// makeCredential that cannot create anything: its pinUvAuthParam is zeros, and keys check
// pubKeyCredParams before the PIN authorisation (CTAP 2.0 §5.1 steps 2 and 5; CTAP 2.1 §6.1.2
// steps 3 and 11). A failed pinUvAuthParam costs no PIN retry and no touch.
import type { Ctap2Client } from './client';
import { Ctap2Cmd } from './client';
import { CoseAlg } from './cose';
import { preferredPinProtocol, type AuthenticatorInfo } from './getinfo';
import { MakeCredentialKey, buildMakeCredentialParams } from './make-credential';
import { CtapStatus, Ctap2StatusError } from './status';

/** Replies that mean "the algorithm passed, the (bogus) authorisation did not". */
const ALGORITHM_ACCEPTED = new Set<number>([CtapStatus.PIN_AUTH_INVALID, CtapStatus.PIN_NOT_SET, CtapStatus.PIN_REQUIRED]);
/** pinUvAuthParam lengths: protocol 1 truncates HMAC-SHA-256 to 16 bytes, protocol 2 keeps 32. */
const PARAM_BYTES = { 1: 16, 2: 32 } as const;
const PROBE_RP_ID = 'nbg-algorithm-probe.invalid';

/** `alg` is any COSE algorithm number. true: accepted; false: UNSUPPORTED_ALGORITHM; undefined: the answer does not tell. */
export async function probeAlgorithm(client: Ctap2Client, info: AuthenticatorInfo, alg: number): Promise<boolean | undefined> {
  const protocol = preferredPinProtocol(info) ?? 1;
  const params = buildMakeCredentialParams(
    { clientDataHash: Buffer.alloc(32), rpId: PROBE_RP_ID, user: { id: Buffer.alloc(1) }, alg: CoseAlg.ES256 },
    { param: Buffer.alloc(PARAM_BYTES[protocol]), protocol },
  );
  params.set(MakeCredentialKey.pubKeyCredParams, [{ alg, type: 'public-key' }]);
  try {
    await client.call(Ctap2Cmd.makeCredential, params);
    return true;
  } catch (err) {
    if (!(err instanceof Ctap2StatusError)) throw err;
    if (err.status === CtapStatus.UNSUPPORTED_ALGORITHM) return false;
    return ALGORITHM_ACCEPTED.has(err.status) ? true : undefined;
  }
}
