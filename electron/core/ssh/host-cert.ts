// OpenSSH certificates (PROTOCOL.certkeys) as a client meets them in a key exchange: parse the
// blob, verify the CA's signature over it (sshkey.c cert_parse) and check it for the host being
// connected to (sshkey.c sshkey_cert_check_host). Which CA to trust is known_hosts' business.
import { verify as cryptoVerify } from 'node:crypto';
import { NbgError } from '../../../native/errors';
import { PublicKeyFormatError, SkSignatureError, SshWireError } from '../../../native/sk/errors';
import { parsePublicKeyBlob, publicKeyObject, type ParsedPublicKey } from '../../../native/sk/publickey';
import { verifySkSignature } from '../../../native/sk/signature';
import { SshReader, SshWriter } from '../../../native/sk/wire';
import { ErrorCode } from '../../shared/error-codes';

/** Certificate type → the certified key's plain type and how many key fields follow the nonce. */
const CERT_KEY_TYPES: Record<string, { keyType: string; fields: number }> = {
  'ssh-ed25519-cert-v01@openssh.com': { keyType: 'ssh-ed25519', fields: 1 },
  'ecdsa-sha2-nistp256-cert-v01@openssh.com': { keyType: 'ecdsa-sha2-nistp256', fields: 2 },
  'ecdsa-sha2-nistp384-cert-v01@openssh.com': { keyType: 'ecdsa-sha2-nistp384', fields: 2 },
  'ecdsa-sha2-nistp521-cert-v01@openssh.com': { keyType: 'ecdsa-sha2-nistp521', fields: 2 },
  'ssh-rsa-cert-v01@openssh.com': { keyType: 'ssh-rsa', fields: 2 },
};

/**
 * Host key algorithms for certificates, in OpenSSH 9.2's default order (myproposal.h; its sk
 * certificate types are left out: no host has an sk host key). The patched ssh2 knows these.
 */
export const HOST_CERT_ALGORITHMS = [
  'ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
] as const;

/** OpenSSH's default CASignatureAlgorithms: a CA signature of another kind (ssh-rsa, SHA-1) is refused. */
export const CA_SIGNATURE_ALGORITHMS: readonly string[] = [
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com', 'rsa-sha2-512', 'rsa-sha2-256',
];

/** sshkey.h SSHKEY_CERT_MAX_PRINCIPALS. */
const MAX_PRINCIPALS = 256;
const CERT_TYPE_USER = 1;
const CERT_TYPE_HOST = 2;

const ECDSA_SIGNATURES: Record<string, { hash: string; coord: number }> = {
  'ecdsa-sha2-nistp256': { hash: 'sha256', coord: 32 },
  'ecdsa-sha2-nistp384': { hash: 'sha384', coord: 48 },
  'ecdsa-sha2-nistp521': { hash: 'sha512', coord: 66 },
};
const RSA_SIGNATURE_HASHES: Record<string, string> = { 'ssh-rsa': 'sha1', 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' };

export class HostCertificateError extends NbgError {
  constructor(code: typeof ErrorCode.HOST_CERT_MALFORMED | typeof ErrorCode.HOST_CERT_SIGNATURE_INVALID, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export interface CertificateOption {
  name: string;
  data: Buffer;
}

export interface SshCertificate {
  /** The certificate's key type, e.g. "ssh-ed25519-cert-v01@openssh.com". */
  type: string;
  /** The certified key as a plain public key blob: what known_hosts, @revoked and fingerprints use. */
  key: Buffer;
  nonce: Buffer;
  serial: bigint;
  certType: 'user' | 'host';
  keyId: string;
  /** Empty: the certificate names no principal. */
  principals: string[];
  /** Seconds since the epoch: valid when validAfter <= now < validBefore. */
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: CertificateOption[];
  extensions: CertificateOption[];
  /** The CA's public key blob. */
  caKey: Buffer;
  /** The CA's signature algorithm, e.g. "ssh-ed25519" or "rsa-sha2-512". */
  signatureType: string;
  /** The complete signature blob (string type, string signature[, sk flags and counter]). */
  signature: Buffer;
  /** Everything the signature covers: the blob up to and including the CA key. */
  signed: Buffer;
}

export function isCertificateType(type: string): boolean {
  return type in CERT_KEY_TYPES;
}

function malformed(what: string, cause?: unknown): HostCertificateError {
  return new HostCertificateError(ErrorCode.HOST_CERT_MALFORMED, `Malformed host certificate: ${what}`, cause ? { cause } : undefined);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** OpenSSH reads key ids and principals as C strings: no NUL inside. */
function cstring(bytes: Buffer, what: string): string {
  if (bytes.includes(0)) throw malformed(`${what} contains a NUL byte`);
  try {
    return UTF8.decode(bytes);
  } catch (err) {
    throw malformed(`${what} is not UTF-8`, err);
  }
}

function readOptions(bytes: Buffer, what: string): CertificateOption[] {
  const r = new SshReader(bytes);
  const out: CertificateOption[] = [];
  while (r.remaining > 0) out.push({ name: cstring(r.string(`${what} name`), `${what} name`), data: Buffer.from(r.string(`${what} data`)) });
  return out;
}

/** Parses a certificate blob field by field; the CA signature is not checked here. */
export function parseCertificate(blob: Buffer): SshCertificate {
  try {
    return parseFields(blob);
  } catch (err) {
    if (err instanceof SshWireError || err instanceof PublicKeyFormatError) throw malformed(err.message, err);
    throw err;
  }
}

function parseFields(blob: Buffer): SshCertificate {
  const r = new SshReader(blob);
  const type = r.utf8('certificate type');
  const shape = CERT_KEY_TYPES[type];
  if (!shape) throw malformed(`unsupported certificate type "${type}"`);
  const nonce = Buffer.from(r.string('nonce'));
  // The key fields are copied as they are: the certified key is exactly the key inside.
  const w = new SshWriter().string(shape.keyType);
  for (let i = 0; i < shape.fields; i++) w.string(r.string('certified key'));
  const key = w.toBuffer();
  parsePublicKeyBlob(key);
  const serial = r.raw(8, 'serial').readBigUInt64BE(0);
  const certTypeCode = r.uint32('certificate role');
  if (certTypeCode !== CERT_TYPE_USER && certTypeCode !== CERT_TYPE_HOST) throw malformed(`unknown certificate role ${certTypeCode}`);
  const keyId = cstring(r.string('key id'), 'key id');
  const principalList = new SshReader(r.string('principals'));
  const principals: string[] = [];
  while (principalList.remaining > 0) {
    if (principals.length === MAX_PRINCIPALS) throw malformed(`more than ${MAX_PRINCIPALS} principals`);
    principals.push(cstring(principalList.string('principal'), 'principal'));
  }
  const validAfter = r.raw(8, 'valid after').readBigUInt64BE(0);
  const validBefore = r.raw(8, 'valid before').readBigUInt64BE(0);
  const criticalOptions = readOptions(r.string('critical options'), 'critical option');
  const extensions = readOptions(r.string('extensions'), 'extension');
  r.string('reserved');
  const caKey = Buffer.from(r.string('signature key'));
  const signed = Buffer.from(blob.subarray(0, blob.length - r.remaining));
  const signature = Buffer.from(r.string('signature'));
  r.end('certificate');
  parsePublicKeyBlob(caKey); // a plain key: chained certificates are not part of the format
  const signatureType = new SshReader(signature).utf8('signature type');
  return {
    type, key, nonce, serial, certType: certTypeCode === CERT_TYPE_HOST ? 'host' : 'user', keyId, principals,
    validAfter, validBefore, criticalOptions, extensions, caKey, signatureType, signature, signed,
  };
}

/** ECDSA `mpint r, mpint s` → r || s, each left-padded to the curve's size (IEEE P1363). */
function p1363(inner: Buffer, coord: number): Buffer {
  const r = new SshReader(inner);
  const parts = [r.mpint('r'), r.mpint('s')];
  r.end('ECDSA signature');
  return Buffer.concat(parts.map((v) => {
    if (v.length > coord) throw new SshWireError('ECDSA signature value is too large');
    return Buffer.concat([Buffer.alloc(coord - v.length), v]);
  }));
}

function signatureVerifies(ca: ParsedPublicKey, data: Buffer, sigBlob: Buffer): boolean {
  if (ca.sk) {
    try {
      verifySkSignature(ca.sk, data, sigBlob);
      return true;
    } catch (err) {
      if (err instanceof SkSignatureError) return false;
      throw err;
    }
  }
  const r = new SshReader(sigBlob);
  const sigType = r.utf8('signature type');
  const sig = r.string('signature');
  r.end('signature');
  const key = publicKeyObject(ca);
  const ecdsa = ECDSA_SIGNATURES[ca.type];
  if (ecdsa) return sigType === ca.type && cryptoVerify(ecdsa.hash, data, { key, dsaEncoding: 'ieee-p1363' }, p1363(sig, ecdsa.coord));
  if (ca.type === 'ssh-rsa') {
    const hash = RSA_SIGNATURE_HASHES[sigType];
    // OpenSSH pads a short RSA signature to the modulus size (ssh-rsa.c openssh_RSA_verify).
    const modulusBytes = Math.ceil(ca.bits / 8);
    if (!hash || sig.length > modulusBytes) return false;
    return cryptoVerify(hash, data, key, Buffer.concat([Buffer.alloc(modulusBytes - sig.length), sig]));
  }
  return sigType === 'ssh-ed25519' && ca.type === 'ssh-ed25519' && cryptoVerify(null, data, key, sig);
}

/** Throws HostCertificateError unless the CA key inside the certificate signed it. */
export function verifyCertificateSignature(cert: SshCertificate): void {
  let ok: boolean;
  try {
    ok = signatureVerifies(parsePublicKeyBlob(cert.caKey), cert.signed, cert.signature);
  } catch (err) {
    if (!(err instanceof SshWireError)) throw err;
    throw new HostCertificateError(ErrorCode.HOST_CERT_SIGNATURE_INVALID, `The CA signature of the host certificate is malformed: ${err.message}`, { cause: err });
  }
  if (!ok) throw new HostCertificateError(ErrorCode.HOST_CERT_SIGNATURE_INVALID, 'The CA signature of the host certificate does not verify');
}

/**
 * Why the certificate does not vouch for `hostName` at `now` (undefined: it does), checked as
 * OpenSSH's sshkey_cert_check_host does with exact principal names and the default
 * CASignatureAlgorithms. One stricter rule: a certificate without principals is refused, as
 * OpenSSH does since 10.3 (9.2 took it as valid for every host; CVE-2024-7594).
 */
export function hostCertificateProblem(cert: SshCertificate, hostName: string, now: Date): string | undefined {
  const seconds = BigInt(Math.floor(now.getTime() / 1000));
  if (cert.certType !== 'host') return 'not a host certificate';
  if (seconds < cert.validAfter) return 'not yet valid';
  if (seconds >= cert.validBefore) return 'expired';
  if (cert.principals.length === 0) return 'the certificate lists no principals';
  if (!cert.principals.includes(hostName)) return `${hostName} is not a listed principal`;
  if (cert.criticalOptions.length > 0) return 'the certificate has critical options, which host certificates do not support';
  if (!CA_SIGNATURE_ALGORITHMS.includes(cert.signatureType)) return `the CA signed with ${cert.signatureType}, which is not allowed`;
  return undefined;
}
