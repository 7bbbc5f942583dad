// Import and export of the app's own known_hosts file (the settings screen): export is the file
// as it is; import checks every line first and appends only lines not already there, so a bad
// file changes nothing and importing twice adds nothing.
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';
import { parseKnownHosts } from './known-hosts';
import type { KnownHostsStore } from './known-hosts-store';

export class KnownHostsImportError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.KNOWN_HOSTS_IMPORT_INVALID, `nothing imported: ${detail}`);
  }
}

const entryKey = (e: { marker?: string; hosts: string; key: Buffer }) => `${e.marker ?? ''} ${e.hosts} ${e.key.toString('base64')}`;

export async function importKnownHosts(store: KnownHostsStore, text: string): Promise<number> {
  const parsed = parseKnownHosts(text, 'imported text');
  if (parsed.problems.length) {
    throw new KnownHostsImportError(parsed.problems.slice(0, 3).map((p) => `${p.source}: ${p.reason}`).join('; '));
  }
  if (!parsed.entries.length) throw new KnownHostsImportError('no known_hosts line in the text');
  const present = new Set((await store.load()).entries.map(entryKey));
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const fresh = lines.filter((line) => {
    const [entry] = parseKnownHosts(line, 'imported text').entries;
    if (!entry || present.has(entryKey(entry))) return false;
    present.add(entryKey(entry));
    return true;
  });
  if (fresh.length) await store.appendLines(fresh);
  return fresh.length;
}
