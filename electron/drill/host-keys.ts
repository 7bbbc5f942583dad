// One persistent host key per drill server, so known_hosts entries made in one drill still match
// in the next. Stored under appHome()/drill/hostkeys as unencrypted openssh-key-v1 Ed25519 files
// (0600) that stock ssh-keygen reads too.
import { generateKeyPairSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import { isNodeError } from '../../native/errors';
import { serializeUnencryptedKeyFile } from '../../native/sk/keyfile';
import { fingerprintSha256, formatPublicKeyLine } from '../../native/sk/publickey';
import { SshWriter } from '../../native/sk/wire';
import { FileExistsError, writeFileAtomic } from '../../native/util/atomic-file';
import { appHome } from '../core/paths';
import { DrillHostKeyError } from './errors';

const ED25519 = 'ssh-ed25519';

export interface DrillHostKey {
  /** OpenSSH private key text for ssh2's Server. */
  privateKey: string;
  publicKeyBlob: Buffer;
  /** `ssh-ed25519 AAAA... comment` (no newline). */
  publicKeyLine: string;
  fingerprint: string;
}

export function drillHostKeyDir(home: string = appHome()): string {
  return path.join(home, 'drill', 'hostkeys');
}

/**
 * An Ed25519 key as OpenSSH writes it (sshkey_private_to_blob2 with cipher "none"). Written here
 * rather than by ssh2's keygen, which drops leading zero bytes of the public key (about one key in
 * 256 comes out unreadable).
 */
export function generateEd25519OpenSshKey(comment: string): { privateKey: string; publicKeyBlob: Buffer } {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const pub = Buffer.from(jwk.x!, 'base64url');
  const seed = Buffer.from(jwk.d!, 'base64url');
  const publicKeyBlob = new SshWriter().string(ED25519).string(pub).toBuffer();
  const fields = new SshWriter().string(ED25519).string(pub).string(Buffer.concat([seed, pub])).string(comment).toBuffer();
  seed.fill(0);
  return { privateKey: serializeUnencryptedKeyFile(publicKeyBlob, fields), publicKeyBlob };
}

export async function loadOrCreateHostKey(dir: string, server: string): Promise<DrillHostKey> {
  const file = path.join(dir, `${server}_ed25519`);
  const comment = `nbg-drill-${server}`;
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  let privateKey: string;
  try {
    privateKey = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (!isNodeError(err, 'ENOENT')) throw err;
    privateKey = generateEd25519OpenSshKey(comment).privateKey;
    try {
      await writeFileAtomic(file, privateKey, { mode: 0o600, exclusive: true });
    } catch (e) {
      // Another drill created it first: use theirs, so both agree.
      if (!(e instanceof FileExistsError)) throw e;
      privateKey = await fs.readFile(file, 'utf8');
    }
  }
  const parsed = ssh2.utils.parseKey(privateKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) throw new DrillHostKeyError(file, key instanceof Error ? key.message : 'no key in the file');
  const publicKeyBlob = key.getPublicSSH();
  return {
    privateKey,
    publicKeyBlob,
    publicKeyLine: formatPublicKeyLine(publicKeyBlob, comment).trimEnd(),
    fingerprint: fingerprintSha256(publicKeyBlob),
  };
}
