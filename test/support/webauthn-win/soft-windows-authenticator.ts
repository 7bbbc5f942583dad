// A FakeAuthenticator that behaves like Windows with one FIDO2 key plugged in: makeCredential
// creates a software key, getAssertion signs with it (UV flag only when UV was required).
import { CoseAlg } from '../../../native/ctap2/cose';
import { SkKeyType } from '../../../native/sk/types';
import { HResult, UserVerificationRequirement } from '../../../native/webauthn-win/constants';
import { SoftSk } from '../soft-sk';
import type { DecodedGetAssertion, DecodedMakeCredential, FakeAnswer, FakeAuthenticator } from './fake-webauthn-dll';
import { assertionResult, makeCredentialResult } from './soft-webauthn-key';
import { assertionImage, credentialAttestationImage } from './webauthn-results';

export class SoftWindowsAuthenticator implements FakeAuthenticator {
  readonly keys: SoftSk[] = [];

  makeCredential(req: DecodedMakeCredential): FakeAnswer {
    const alg = req.params[0]?.alg;
    if (alg !== CoseAlg.EdDSA && alg !== CoseAlg.ES256) return { hr: HResult.NTE_NOT_SUPPORTED };
    const soft = new SoftSk({ type: alg === CoseAlg.EdDSA ? SkKeyType.Ed25519 : SkKeyType.EcdsaP256, application: req.rp.id ?? '' });
    this.keys.push(soft);
    const credProtect = req.options.extensions.find((e) => e.id === 'credProtect')?.credProtect?.level ?? 0;
    const uv = req.options.uv === UserVerificationRequirement.Required;
    return { hr: HResult.S_OK, image: credentialAttestationImage(makeCredentialResult(soft, { credProtect, uv })) };
  }

  getAssertion(req: DecodedGetAssertion): FakeAnswer {
    const soft = this.keys.find((k) => k.publicKey.application === req.rpId && req.options.allow.some((c) => c.id.equals(k.handle.keyHandle)));
    if (!soft) return { hr: HResult.NTE_NOT_FOUND };
    const uv = req.options.uv === UserVerificationRequirement.Required;
    return { hr: HResult.S_OK, image: assertionImage(assertionResult(soft, req.clientData.data, uv)) };
  }
}
