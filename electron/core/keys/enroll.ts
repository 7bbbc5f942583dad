// Enrollment and resident-key import as whole operations: check the target files before the key
// is touched, create or read the credential, write the files the way ssh-keygen names them, and
// put the outcome on record.
import { type Authenticator, type EnrollOptions, type EnrollResult, type ResidentKey } from '../../../native/authenticator/authenticator';
import { FileExistsError } from '../../../native/util/atomic-file';
import { encodeSkPublicKeyBlob, fingerprintSha256, formatPublicKeyLine } from '../../../native/sk/publickey';
import { SkFlag, SkKeyType, type SkKeyHandle } from '../../../native/sk/types';
import type { AuditSink } from '../audit/audit-log';
import type { CoreInteraction } from '../prompts/interaction';
import { defaultKeyFileName, type KeyStore } from './store';

export interface EnrollKeyOptions extends EnrollOptions {
  /** File name in the store (default id_ed25519_sk / id_ecdsa_sk). */
  file?: string;
  /** Replace existing files without asking (the CLI's --force). */
  overwriteFiles?: boolean;
  /** How the key is reached when not through Windows Security (the audit names it). */
  transport?: 'hid' | 'simulator';
}

export interface EnrolledKey extends EnrollResult {
  file: string;
  fingerprint: string;
  publicKeyLine: string;
}

/** Whether saving `file` replaces existing files: with force yes, with none there no, else the person decides. */
async function mustOverwrite(store: KeyStore, interaction: CoreInteraction, file: string, force: boolean | undefined): Promise<boolean> {
  if (force) return true;
  if (!(await store.exists(file))) return false;
  const yes = await interaction.confirm({
    kind: 'overwrite-file',
    message: `${store.path(file)} already exists. Overwrite it (and its .pub)? The old key file is lost unless you saved a copy.`,
    context: { purpose: 'save your SSH key' },
  });
  if (!yes) throw new FileExistsError(store.path(file));
  return true;
}

export async function enrollKey(auth: Authenticator, store: KeyStore, interaction: CoreInteraction, opts: EnrollKeyOptions = {}, audit?: AuditSink): Promise<EnrolledKey> {
  const type = opts.type === 'ecdsa-sk' ? SkKeyType.EcdsaP256 : SkKeyType.Ed25519;
  const file = opts.file ?? defaultKeyFileName(type);
  const overwrite = await mustOverwrite(store, interaction, file, opts.overwriteFiles);
  const result = await auth.enroll(opts);
  const written = await store.save(file, result.handle, { overwrite });
  const blob = encodeSkPublicKeyBlob(result.handle);
  const fingerprint = fingerprintSha256(blob);
  await audit?.append({
    type: 'enroll', keyFingerprint: fingerprint, keyType: result.handle.type,
    resident: (result.handle.flags & SkFlag.Resident) !== 0,
    verifyRequired: (result.handle.flags & SkFlag.UserVerificationRequired) !== 0,
    transport: result.transport === 'webauthn-win' ? 'webauthn-win' : opts.transport ?? 'hid', outcome: 'ok',
  });
  return { ...result, file: written, fingerprint, publicKeyLine: formatPublicKeyLine(blob, result.handle.comment) };
}

/** ssh-keygen.c sk_suffix: application without "ssh:", then the user id when it is not all zeros. */
export function residentFileName(handle: SkKeyHandle, userId: Buffer): string {
  const base = handle.type === SkKeyType.EcdsaP256 ? 'id_ecdsa_sk_rk' : 'id_ed25519_sk_rk';
  let suffix = handle.application.startsWith('ssh://') ? handle.application.slice(6)
    : handle.application.startsWith('ssh:') ? handle.application.slice(4) : handle.application;
  let end = userId.length;
  while (end > 0 && userId[end - 1] === 0) end--;
  if (end > 0) {
    const user = userId.subarray(0, end);
    const text = user.toString('utf8');
    const printable = /^[\x20-\x7e]+$/.test(text) && !text.includes('/') && !text.includes('\\') && !text.includes('..');
    suffix += `${suffix ? '_' : ''}${printable ? text : user.toString('hex')}`;
  }
  return suffix ? `${base}_${suffix}` : base;
}

export interface ImportedKey {
  file: string;
  fingerprint: string;
  skipped: boolean;
}

/** `ssh-keygen -K`: writes every resident ssh: key of the security key into the store. */
export async function importResidentKeys(auth: Authenticator, store: KeyStore, interaction: CoreInteraction, opts: { overwriteFiles?: boolean; keyId?: string } = {}, audit?: AuditSink): Promise<ImportedKey[]> {
  const keys: ResidentKey[] = await auth.importResident(opts.keyId !== undefined ? { keyId: opts.keyId } : {});
  const out: ImportedKey[] = [];
  for (const k of keys) {
    const file = residentFileName(k.handle, k.userId);
    const fingerprint = fingerprintSha256(encodeSkPublicKeyBlob(k.handle));
    let overwrite: boolean;
    try {
      overwrite = await mustOverwrite(store, interaction, file, opts.overwriteFiles);
    } catch (err) {
      if (err instanceof FileExistsError) {
        out.push({ file: store.path(file), fingerprint, skipped: true });
        continue;
      }
      throw err;
    }
    out.push({ file: await store.save(file, k.handle, { overwrite }), fingerprint, skipped: false });
    await audit?.append({
      type: 'enroll', keyFingerprint: fingerprint, keyType: k.handle.type, resident: true,
      verifyRequired: (k.handle.flags & SkFlag.UserVerificationRequired) !== 0, transport: 'import', outcome: 'ok',
    });
  }
  return out;
}
