// The set of known_hosts files a connect consults: the user's OpenSSH files (read only) plus the
// app-managed file, which "trust always" appends to (atomically, OpenSSH format, so stock ssh can
// use it with UserKnownHostsFile).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isNodeError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import {
  entriesForHost, formatKnownHostLine, lookupHostCertificate, lookupHostKey, parseKnownHosts,
  type HostCertificateStatus, type HostKeyStatus, type KnownHostEntry, type KnownHostsProblem,
} from './known-hosts';

const KNOWN_HOSTS_MODE = 0o644;

export interface KnownHostsFiles {
  /** Read-only files, e.g. ~/.ssh/known_hosts or an inventory-provided bundle. */
  readOnly: string[];
  /** The app-managed file: read, and appended to on "trust always". */
  managed: string;
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (isNodeError(err, 'ENOENT')) return '';
    throw err;
  }
}

export class KnownHostsStore {
  /** Serialises appends so two "trust always" answers never lose one another's line. */
  private writeQueue: Promise<void> = Promise.resolve();

  constructor(readonly files: KnownHostsFiles) {}

  /** Re-read on every lookup: the files are small and stock ssh may have changed them meanwhile. */
  async load(): Promise<{ entries: KnownHostEntry[]; problems: KnownHostsProblem[] }> {
    const entries: KnownHostEntry[] = [];
    const problems: KnownHostsProblem[] = [];
    for (const file of [...this.files.readOnly, this.files.managed]) {
      const parsed = parseKnownHosts(await readIfExists(file), file);
      entries.push(...parsed.entries);
      problems.push(...parsed.problems);
    }
    return { entries, problems };
  }

  async lookup(host: string, port: number, keyBlob: Buffer): Promise<HostKeyStatus> {
    return lookupHostKey((await this.load()).entries, host, port, keyBlob);
  }

  async lookupCertificate(host: string, port: number, cert: { key: Buffer; caKey: Buffer }): Promise<HostCertificateStatus> {
    return lookupHostCertificate((await this.load()).entries, host, port, cert);
  }

  /** Every line (keys, @cert-authority, @revoked) that applies to the host. */
  async entriesFor(host: string, port: number): Promise<KnownHostEntry[]> {
    return entriesForHost((await this.load()).entries, host, port);
  }

  add(host: string, port: number, keyBlob: Buffer): Promise<void> {
    return this.appendLines([formatKnownHostLine(host, port, keyBlob)]);
  }

  /** The app's own file as it is (for export); empty when it does not exist yet. */
  managedText(): Promise<string> {
    return readIfExists(this.files.managed);
  }

  /** Appends whole known_hosts lines to the app's file in one atomic write. */
  appendLines(lines: string[]): Promise<void> {
    const run = async (): Promise<void> => {
      const file = this.files.managed;
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const current = await readIfExists(file);
      const sep = current === '' || current.endsWith('\n') ? '' : '\n';
      await writeFileAtomic(file, `${current}${sep}${lines.map((l) => `${l}\n`).join('')}`, { mode: KNOWN_HOSTS_MODE });
    };
    const next = this.writeQueue.then(run, run);
    this.writeQueue = next.catch(() => undefined);
    return next;
  }
}
