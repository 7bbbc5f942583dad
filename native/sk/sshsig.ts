// SSHSIG signatures (PROTOCOL.sshsig) made with an sk key, verifiable by `ssh-keygen -Y verify`.
import { createHash } from 'node:crypto';
import { wrapBase64 } from './armor';
import { encodeSkPublicKeyBlob } from './publickey';
import { buildSkSignatureBlob } from './signature';
import type { SkAssertion, SkPublicKey } from './types';
import { SshWriter } from './wire';

const MAGIC_PREAMBLE = Buffer.from('SSHSIG', 'ascii');
const SIG_VERSION = 1;
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';
export type SshsigHash = 'sha256' | 'sha512';
/** ssh-keygen -Y sign's default. */
const DEFAULT_HASH: SshsigHash = 'sha512';

/** Asks the authenticator to sign `dataToSign` (clientDataHash = SHA-256 of it) with the key. */
export type SkAssertionSigner = (dataToSign: Buffer) => Promise<SkAssertion>;

export interface SshsigRequest {
  publicKey: SkPublicKey;
  /** e.g. "file" or "git"; the verifier must name the same namespace. */
  namespace: string;
  message: Buffer;
  hash?: SshsigHash;
  signer: SkAssertionSigner;
}

/** The bytes an SSHSIG signature covers. */
export function sshsigSignedData(namespace: string, message: Buffer, hash: SshsigHash = DEFAULT_HASH): Buffer {
  return new SshWriter()
    .raw(MAGIC_PREAMBLE)
    .string(namespace)
    .string(Buffer.alloc(0))
    .string(hash)
    .string(createHash(hash).update(message).digest())
    .toBuffer();
}

/** Signs and returns the armored signature text, exactly as ssh-keygen -Y sign writes `*.sig`. */
export async function signSshsig(req: SshsigRequest): Promise<string> {
  const hash = req.hash ?? DEFAULT_HASH;
  const assertion = await req.signer(sshsigSignedData(req.namespace, req.message, hash));
  const blob = new SshWriter()
    .raw(MAGIC_PREAMBLE)
    .uint32(SIG_VERSION)
    .string(encodeSkPublicKeyBlob(req.publicKey))
    .string(req.namespace)
    .string(Buffer.alloc(0))
    .string(hash)
    .string(buildSkSignatureBlob(req.publicKey.type, assertion))
    .toBuffer();
  return `${BEGIN}\n${wrapBase64(blob)}${END}\n`;
}
