// openssh-key-v1 "private" key files for sk keys (PROTOCOL.key, sshkey.c sshkey_private_to_blob2).
// An sk file holds no secret scalar, only the credential handle; it is still written 0600
// because OpenSSH refuses group/world-readable key files and the handle is sensitive.
import { createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import bcryptPbkdf from 'bcrypt-pbkdf';
import { ErrorCode } from '../../electron/shared/error-codes';
import { writeFileAtomic } from '../util/atomic-file';
import { wrapBase64 } from './armor';
import { KeyFileError, PublicKeyFormatError, SshWireError, WrongPassphraseError } from './errors';
import { encodeSkPublicKeyBlob, formatPublicKeyLine, isSkKeyType, parsePublicKeyBlob, readSkPublicFields } from './publickey';
import type { SkKeyHandle } from './types';
import { SshReader, SshWriter } from './wire';

const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';
/** "openssh-key-v1" including its NUL terminator (sizeof(AUTH_MAGIC)). */
const AUTH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const CIPHER_NONE = 'none';
const KDF_NONE = 'none';
const KDF_BCRYPT = 'bcrypt';
/** Block sizes that pad the private section: "none" uses 8, AES uses its 16-byte block. */
const BLOCK_SIZE_NONE = 8;
const AES256_CTR = { name: 'aes256-ctr', node: 'aes-256-ctr', keyLen: 32, ivLen: 16, blockSize: 16 } as const;
const KEY_FILE_MODE = 0o600;
const PUB_FILE_MODE = 0o644;

/** The clear outer layer of an openssh-key-v1 file. */
export interface KeyFileEnvelope {
  cipherName: string;
  kdfName: string;
  kdfOptions: Buffer;
  publicKeyBlob: Buffer;
  /** The private section, still encrypted when cipherName is not "none". */
  privateSection: Buffer;
}

/** Asked only for encrypted files; resolve null when the person cancels. */
export type PassphraseCallback = (file: string) => Promise<string | null>;

export interface ReadKeyFileOptions {
  passphrase?: PassphraseCallback;
}

/** Serializes an sk handle as an unencrypted openssh-key-v1 file (cipher and kdf "none"). */
export function serializeSkKeyFile(handle: SkKeyHandle, checkint?: number): string {
  if (handle.keyHandle.length === 0) throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, 'The key handle is empty.');
  const publicBlob = encodeSkPublicKeyBlob(handle);
  // The private section repeats the public blob's fields (type, key, application), then the sk part.
  const fields = new SshWriter()
    .raw(publicBlob)
    .byte(handle.flags)
    .string(handle.keyHandle)
    .string(Buffer.alloc(0)) // reserved
    .string(handle.comment)
    .toBuffer();
  return serializeUnencryptedKeyFile(publicBlob, fields, checkint);
}

/**
 * One key as an unencrypted openssh-key-v1 file (cipher and kdf "none"): `privateFields` is the
 * private section after its check integers (the key's fields and comment); padding is added here.
 */
export function serializeUnencryptedKeyFile(publicBlob: Buffer, privateFields: Buffer, checkint: number = randomBytes(4).readUInt32BE(0)): string {
  let section = new SshWriter().uint32(checkint).uint32(checkint).raw(privateFields).toBuffer();
  const padLen = (BLOCK_SIZE_NONE - (section.length % BLOCK_SIZE_NONE)) % BLOCK_SIZE_NONE;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: padLen }, (_, i) => i + 1))]);
  const body = new SshWriter()
    .raw(AUTH_MAGIC)
    .string(CIPHER_NONE)
    .string(KDF_NONE)
    .string(Buffer.alloc(0))
    .uint32(1)
    .string(publicBlob)
    .string(section)
    .toBuffer();
  return `${BEGIN}\n${wrapBase64(body)}${END}\n`;
}

export interface WriteKeyFileOptions {
  /** Replace an existing file; without it an existing file is an error (FILE_EXISTS). */
  overwrite?: boolean;
}

/** Writes the handle file (0600) atomically; refuses to replace an existing file unless told to. */
export async function writeSkKeyFile(file: string, handle: SkKeyHandle, opts: WriteKeyFileOptions = {}): Promise<void> {
  await writeFileAtomic(file, serializeSkKeyFile(handle), { mode: KEY_FILE_MODE, exclusive: !opts.overwrite });
}

/** Writes `file` and `file.pub` as ssh-keygen does. */
export async function writeSkKeyPair(file: string, handle: SkKeyHandle, opts: WriteKeyFileOptions = {}): Promise<void> {
  await writeSkKeyFile(file, handle, opts);
  const line = formatPublicKeyLine(encodeSkPublicKeyBlob(handle), handle.comment);
  await writeFileAtomic(`${file}.pub`, line, { mode: PUB_FILE_MODE, exclusive: !opts.overwrite });
}

export async function readSkKeyFile(file: string, opts: ReadKeyFileOptions = {}): Promise<SkKeyHandle> {
  return parseSkKeyFile(await fs.readFile(file, 'utf8'), file, opts);
}

/** Parses an sk handle file; `file` only names it in messages. */
export async function parseSkKeyFile(text: string, file: string, opts: ReadKeyFileOptions = {}): Promise<SkKeyHandle> {
  const envelope = parseKeyFileEnvelope(text, file);
  const publicKey = guard(file, () => parsePublicKeyBlob(envelope.publicKeyBlob));
  if (!isSkKeyType(publicKey.type)) {
    throw new KeyFileError(ErrorCode.KEYFILE_NOT_SK,
      `${file} holds an ${publicKey.type} key, not a security-key (sk) key; enroll or import an ed25519-sk key instead.`);
  }
  let passphrase = '';
  if (envelope.cipherName !== CIPHER_NONE) {
    const answer = opts.passphrase ? await opts.passphrase(file) : null;
    if (answer === null) {
      throw new KeyFileError(ErrorCode.KEYFILE_PASSPHRASE_REQUIRED, `${file} is protected by a passphrase and none was given.`);
    }
    passphrase = answer;
  }
  const section = decryptPrivateSection(envelope, passphrase, file);
  return guard(file, () => {
    const r = new SshReader(section);
    r.raw(8); // the check integers, verified by decryptPrivateSection
    const type = r.utf8('key type');
    if (type !== publicKey.type) throw new SshWireError(`private key type ${type} differs from public key type ${publicKey.type}`);
    if (!isSkKeyType(type)) throw new SshWireError('not an sk key');
    const pub = readSkPublicFields(type, r);
    if (!encodeSkPublicKeyBlob(pub).equals(envelope.publicKeyBlob)) throw new SshWireError('private and public halves differ');
    const flags = r.byte('flags');
    const keyHandle = Buffer.from(r.string('key handle'));
    if (keyHandle.length === 0) throw new SshWireError('empty key handle');
    r.string('reserved');
    const comment = r.utf8('comment');
    checkPadding(r.rest());
    return { ...pub, flags, keyHandle, comment };
  });
}

/** Splits the armored file into its clear fields. Throws KeyFileError for anything damaged. */
export function parseKeyFileEnvelope(text: string, file: string): KeyFileEnvelope {
  const normalized = text.replace(/\r\n/g, '\n').trim();
  if (!normalized.startsWith(BEGIN) || !normalized.endsWith(END)) {
    throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, `${file} is not an OpenSSH private key file (no "${BEGIN}" armor).`);
  }
  const b64 = normalized.slice(BEGIN.length, normalized.length - END.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, `${file} is damaged: its base64 body is not valid.`);
  }
  const data = Buffer.from(b64, 'base64');
  return guard(file, () => {
    if (data.length < AUTH_MAGIC.length || !data.subarray(0, AUTH_MAGIC.length).equals(AUTH_MAGIC)) {
      throw new SshWireError('missing openssh-key-v1 magic');
    }
    const r = new SshReader(data.subarray(AUTH_MAGIC.length));
    const cipherName = r.utf8('cipher name');
    const kdfName = r.utf8('kdf name');
    const kdfOptions = Buffer.from(r.string('kdf options'));
    const count = r.uint32('key count');
    if (count !== 1) throw new SshWireError(`${count} keys in one file (expected 1)`);
    const publicKeyBlob = Buffer.from(r.string('public key'));
    const privateSection = Buffer.from(r.string('private section'));
    // AEAD ciphers (which this app does not read) append a tag; ours must end here.
    if (cipherName === CIPHER_NONE || cipherName === AES256_CTR.name) r.end('key file');
    return { cipherName, kdfName, kdfOptions, publicKeyBlob, privateSection };
  });
}

/**
 * Decrypts (bcrypt-pbkdf + aes256-ctr, ssh-keygen's default) or passes through the private
 * section and checks its two check integers, which is how OpenSSH detects a wrong passphrase.
 */
export function decryptPrivateSection(envelope: KeyFileEnvelope, passphrase: string, file: string): Buffer {
  const { cipherName, kdfName } = envelope;
  let section: Buffer;
  if (cipherName === CIPHER_NONE) {
    if (kdfName !== KDF_NONE || envelope.kdfOptions.length !== 0) {
      throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, `${file} is damaged: kdf "${kdfName}" without a cipher.`);
    }
    section = envelope.privateSection;
    if (section.length % BLOCK_SIZE_NONE !== 0) throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, `${file} is damaged: bad private section length.`);
  } else {
    if (cipherName !== AES256_CTR.name) {
      throw new KeyFileError(ErrorCode.KEYFILE_UNSUPPORTED, `${file} is encrypted with "${cipherName}", which this app cannot read; re-save it with ssh-keygen -p (default cipher).`);
    }
    if (kdfName !== KDF_BCRYPT) {
      throw new KeyFileError(ErrorCode.KEYFILE_UNSUPPORTED, `${file} uses key derivation "${kdfName}", which this app cannot read.`);
    }
    const { salt, rounds } = guard(file, () => {
      const r = new SshReader(envelope.kdfOptions);
      const out = { salt: r.string('salt'), rounds: r.uint32('rounds') };
      r.end('kdf options');
      return out;
    });
    if (rounds === 0 || salt.length === 0) throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, `${file} is damaged: bad bcrypt parameters.`);
    if (envelope.privateSection.length % AES256_CTR.blockSize !== 0) {
      throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, `${file} is damaged: bad private section length.`);
    }
    const derived = Buffer.alloc(AES256_CTR.keyLen + AES256_CTR.ivLen);
    const pass = Buffer.from(passphrase, 'utf8');
    try {
      if (bcryptPbkdf.pbkdf(pass, pass.length, salt, salt.length, derived, derived.length, rounds) !== 0) {
        throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, `${file} is damaged: bad bcrypt parameters.`);
      }
      const decipher = createDecipheriv(AES256_CTR.node, derived.subarray(0, AES256_CTR.keyLen), derived.subarray(AES256_CTR.keyLen));
      section = Buffer.concat([decipher.update(envelope.privateSection), decipher.final()]);
    } finally {
      derived.fill(0);
      pass.fill(0);
    }
  }
  if (section.length < 8 || section.readUInt32BE(0) !== section.readUInt32BE(4)) {
    if (cipherName === CIPHER_NONE) throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, `${file} is damaged: check integers differ.`);
    throw new WrongPassphraseError(file);
  }
  return section;
}

function checkPadding(padding: Buffer): void {
  if (padding.length >= AES256_CTR.blockSize) throw new SshWireError('too much padding');
  padding.forEach((b, i) => {
    if (b !== ((i + 1) & 0xff)) throw new SshWireError('bad padding');
  });
}

/** Turns low-level format errors into one operator-readable KeyFileError naming the file. */
function guard<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SshWireError || err instanceof PublicKeyFormatError) {
      throw new KeyFileError(ErrorCode.KEYFILE_MALFORMED, `${file} is damaged or not a valid key file (${err.message}).`, { cause: err });
    }
    throw err;
  }
}
