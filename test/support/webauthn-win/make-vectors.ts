// Writes the recorded webauthn.dll result vectors under test/fixtures/webauthn-win/. Run once by
// hand (npx tsx test/support/webauthn-win/make-vectors.ts); the files are committed and
// the tests only read them. Keys are fresh software keys (SoftSk); nothing secret is kept.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { sshsigSignedData } from '../../../native/sk/sshsig';
import { CoseAlg } from '../../../native/ctap2/cose';
import { SkKeyType } from '../../../native/sk/types';
import { SoftSk } from '../soft-sk';
import { assertionResult, makeCredentialResult } from './soft-webauthn-key';
import { VECTOR_DIR, type EnrollVector, type SignVector } from './vectors';
import { assertionImage, credentialAttestationImage } from './webauthn-results';
import type { NativeImage } from './native-image';

const NOTE = 'Made by test/support/webauthn-win/make-vectors.ts: a software key (test/support/soft-sk.ts) ' +
  'computed the authenticator data and signature a FIDO2 key would return through webauthn.dll; the bytes are laid out ' +
  'as the x64 Windows SDK structure (version current on Windows 11), pointers stored as offsets into the image plus a ' +
  'relocation list. Windows is not available to record real ones.';
const MESSAGE = 'nexus break-glass: webauthn.dll vector\n';

const serial = (img: NativeImage) => ({ image: img.image.toString('hex'), relocations: img.relocations });

for (const [name, type, alg] of [['ed25519-sk', SkKeyType.Ed25519, CoseAlg.EdDSA], ['ecdsa-sk', SkKeyType.EcdsaP256, CoseAlg.ES256]] as const) {
  const soft = new SoftSk({ type, counter: 7 });
  const userId = randomBytes(32);
  const challenge = randomBytes(32);
  const enroll: EnrollVector = {
    note: NOTE,
    struct: 'WEBAUTHN_CREDENTIAL_ATTESTATION',
    request: { application: 'ssh:', alg, rk: true, credProtect: 3, uv: true, userId: userId.toString('hex'), challenge: challenge.toString('hex') },
    result: serial(credentialAttestationImage(makeCredentialResult(soft, { credProtect: 3, uv: true }))),
    expect: { publicKeyLine: soft.publicKeyLine.trimEnd(), credentialId: soft.handle.keyHandle.toString('hex'), credProtect: 3, fmt: 'none' },
  };
  const request = { application: 'ssh:', keyHandle: soft.handle.keyHandle.toString('hex'), uv: true, up: true, namespace: 'file', message: MESSAGE, hash: 'sha512' as const };
  const signed = sshsigSignedData(request.namespace, Buffer.from(request.message), request.hash);
  const sign: SignVector = {
    note: NOTE,
    struct: 'WEBAUTHN_ASSERTION',
    request,
    result: serial(assertionImage(assertionResult(soft, signed, true))),
    expect: { flags: 0x05, counter: 7 },
  };
  writeFileSync(new URL(`${name}.enroll.json`, VECTOR_DIR), `${JSON.stringify(enroll, null, 2)}\n`);
  writeFileSync(new URL(`${name}.sign.json`, VECTOR_DIR), `${JSON.stringify(sign, null, 2)}\n`);
}
