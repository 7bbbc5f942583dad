// The user's OpenSSH key directory (default ~/.ssh) as the app sees it: sk handle files it can
// sign with, listed with type, fingerprint, comment and flags; written only atomically, 0600, and
// never over an existing file without an explicit yes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NbgError, errorMessage, isNodeError } from '../../../native/errors';
import { encodeSkPublicKeyBlob, fingerprintSha256, formatPublicKeyLine, isSkKeyType, parsePublicKeyBlob } from '../../../native/sk/publickey';
import { parseKeyFileEnvelope, parseSkKeyFile, writeSkKeyPair, type PassphraseCallback } from '../../../native/sk/keyfile';
import type { SkKeyHandle, SkKeyType } from '../../../native/sk/types';
import { ErrorCode } from '../../shared/error-codes';

export interface StoredKey {
  file: string;
  type: SkKeyType;
  fingerprint: string;
  /** From the .pub file or the handle file; undefined when the handle file is encrypted and has no .pub. */
  comment?: string;
  application?: string;
  /** undefined while the file is passphrase-protected and not yet unlocked. */
  flags?: number;
  encrypted: boolean;
  publicKeyLine: string;
}

/** A file that is an OpenSSH sk key file but cannot be used (damaged, unreadable). */
export interface KeyFileProblem {
  file: string;
  /** What is wrong, naming the file. */
  message: string;
}

export class KeyNotFoundError extends NbgError {
  constructor(what: string) {
    super(ErrorCode.KEY_NOT_FOUND, `No security-key SSH key ${what}. Enroll one (nbg keys enroll) or import it from the key (nbg keys import).`);
  }
}

/** Largest file worth reading as a key (sk handle files are well under 1 KiB). */
const MAX_KEY_FILE_BYTES = 64 * 1024;
const ARMOR = '-----BEGIN OPENSSH PRIVATE KEY-----';

export function defaultKeyFileName(type: SkKeyType): string {
  return type === 'sk-ssh-ed25519@openssh.com' ? 'id_ed25519_sk' : 'id_ecdsa_sk';
}

export class KeyStore {
  constructor(readonly dir: string, private readonly passphrase?: PassphraseCallback) {}

  path(name: string): string {
    return path.isAbsolute(name) ? name : path.join(this.dir, name);
  }

  /** Every usable sk handle file in the directory; other files (ordinary keys, configs) are ignored. */
  async list(): Promise<StoredKey[]> {
    return (await this.scan()).keys;
  }

  /**
   * The usable sk handle files, and the files that look like sk key files but cannot be used (a
   * damaged or unreadable file is reported, not mistaken for "no key").
   */
  async scan(): Promise<{ keys: StoredKey[]; problems: KeyFileProblem[] }> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (err) {
      if (isNodeError(err, 'ENOENT')) return { keys: [], problems: [] };
      throw err;
    }
    const keys: StoredKey[] = [];
    const problems: KeyFileProblem[] = [];
    for (const name of names.sort()) {
      if (name.endsWith('.pub') || name.startsWith('.')) continue;
      const file = path.join(this.dir, name);
      try {
        const key = await this.describe(file);
        if (key) keys.push(key);
      } catch (err) {
        // Our key-file errors name the file already; anything else gets it in front.
        const message = errorMessage(err);
        problems.push({ file, message: message.includes(file) ? message : `${file}: ${message}` });
      }
    }
    return { keys, problems };
  }

  /**
   * One key file as `list` shows it, never asking for a passphrase: an encrypted file's public half
   * (type, fingerprint, application) is in the clear, as `ssh-keygen -l` reads it; its flags are not.
   */
  async inspect(name: string): Promise<StoredKey> {
    const file = this.path(name);
    const key = await this.describe(file);
    if (!key) throw new KeyNotFoundError(`in ${file}`);
    return key;
  }

  /** Reads one handle file, asking for its passphrase only if it is encrypted. */
  async read(name: string): Promise<SkKeyHandle> {
    const file = this.path(name);
    return parseSkKeyFile(await fs.readFile(file, 'utf8'), file, this.passphrase ? { passphrase: this.passphrase } : {});
  }

  async exists(name: string): Promise<boolean> {
    const file = this.path(name);
    const found = await Promise.all([file, `${file}.pub`].map((f) => fs.lstat(f).then(() => true, () => false)));
    return found.some(Boolean);
  }

  /** Writes `name` and `name.pub`; an existing pair is replaced only with `overwrite`. */
  async save(name: string, handle: SkKeyHandle, opts: { overwrite?: boolean } = {}): Promise<string> {
    const file = this.path(name);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeSkKeyPair(file, handle, { overwrite: opts.overwrite === true });
    return file;
  }

  private async describe(file: string): Promise<StoredKey | undefined> {
    // A dangling link is no key file at all.
    const st = await fs.stat(file).catch((err: unknown) => { if (isNodeError(err, 'ENOENT')) return undefined; throw err; });
    if (!st) return undefined;
    if (!st.isFile() || st.size > MAX_KEY_FILE_BYTES) return undefined;
    const text = await fs.readFile(file, 'utf8');
    if (!text.startsWith(ARMOR)) return undefined;
    const envelope = parseKeyFileEnvelope(text, file);
    const pub = parsePublicKeyBlob(envelope.publicKeyBlob);
    if (!isSkKeyType(pub.type)) return undefined;
    const encrypted = envelope.cipherName !== 'none';
    const pubComment = await fs.readFile(`${file}.pub`, 'utf8').then((l) => l.trim().split(/\s+/).slice(2).join(' ') || undefined, () => undefined);
    const base = { file, type: pub.type, fingerprint: fingerprintSha256(envelope.publicKeyBlob), encrypted };
    if (encrypted) {
      return {
        ...base, ...(pubComment ? { comment: pubComment } : {}), ...(pub.sk ? { application: pub.sk.application } : {}),
        publicKeyLine: formatPublicKeyLine(envelope.publicKeyBlob, pubComment ?? ''),
      };
    }
    const handle = await parseSkKeyFile(text, file);
    const comment = pubComment ?? handle.comment;
    return {
      ...base, comment, application: handle.application, flags: handle.flags,
      publicKeyLine: formatPublicKeyLine(encodeSkPublicKeyBlob(handle), comment),
    };
  }
}
