// One persistent host key per drill server, so known_hosts entries made in one drill still match
// in the next. Stored under appHome()/drill/hostkeys as OpenSSH private key files (0600).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import { writeFileAtomic, FileExistsError } from '../../../native/util/atomic-file';
import { fingerprintSha256, formatPublicKeyLine } from '../../../native/sk/publickey';
import { appHome } from '../paths';

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

export async function loadOrCreateHostKey(dir: string, server: string): Promise<DrillHostKey> {
  const file = path.join(dir, `${server}_ed25519`);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  let privateKey: string;
  try {
    privateKey = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: `nbg-drill-${server}` });
    try {
      await writeFileAtomic(file, pair.private, { mode: 0o600, exclusive: true });
      privateKey = pair.private;
    } catch (e) {
      // Another drill created it first: use theirs, so both agree.
      if (!(e instanceof FileExistsError)) throw e;
      privateKey = await fs.readFile(file, 'utf8');
    }
  }
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  const publicKeyBlob = key.getPublicSSH();
  return {
    privateKey,
    publicKeyBlob,
    publicKeyLine: formatPublicKeyLine(publicKeyBlob, `nbg-drill-${server}`).trimEnd(),
    fingerprint: fingerprintSha256(publicKeyBlob),
  };
}
