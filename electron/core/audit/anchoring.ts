// What the writer does with the key store's anchor when it opens the log: take its key (or make
// one), and put into the chain anything the anchor says went wrong since it was last written.
import { promises as fs } from 'node:fs';
import { errorMessage, isNodeError } from '../../../native/errors';
import { anchorKey, newAnchor, type AuditAnchor, type AuditAnchorStore } from './anchor';
import { parseAuditLog } from './chain';
import type { AuditEntry } from './events';
import type { ChainTip } from './head-file';
import type { LogIntegrityFields } from './open-state';

export interface Anchoring {
  anchor: AuditAnchor;
  key: Buffer;
  findings: LogIntegrityFields[];
}

async function entryAt(file: string, seq: number): Promise<AuditEntry | undefined> {
  let text = '';
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (!isNodeError(err, 'ENOENT')) throw err;
  }
  return parseAuditLog(text).lines.find((l) => l.entry?.seq === seq)?.entry;
}

/** undefined (after a warning) when the key store cannot be used: the log is then written unkeyed. */
export async function openAnchor(store: AuditAnchorStore, file: string, tip: ChainTip, warn: (message: string) => void): Promise<Anchoring | undefined> {
  const unkeyed = (err: unknown) => {
    warn(`the audit key store (${store.kind}) cannot be used (${errorMessage(err).split('\n')[0]}): new audit entries carry no MAC`);
    return undefined;
  };
  let anchor: AuditAnchor | undefined;
  try {
    anchor = await store.load();
  } catch (err) {
    return unkeyed(err);
  }
  const findings: LogIntegrityFields[] = [];
  if (!anchor) {
    const last = tip.seq > 0 ? await entryAt(file, tip.seq) : undefined;
    if (last?.mac) findings.push({ type: 'log-integrity', finding: 'key-missing', logSeq: tip.seq });
    anchor = newAnchor(tip.seq + 1, tip.seq, tip.hash);
    try {
      await store.save(anchor);
      // A store that accepts the key and then cannot give it back would leave every entry unverifiable.
      if ((await store.load())?.key !== anchor.key) throw new Error('the key store did not keep the new key');
    } catch (err) {
      return unkeyed(err);
    }
  } else if (tip.seq === 0 && anchor.seq > 0) {
    findings.push({ type: 'log-integrity', finding: 'log-missing', anchorSeq: anchor.seq });
    anchor = { ...anchor, since: 1 };
  } else if (anchor.seq > tip.seq) {
    findings.push({ type: 'log-integrity', finding: 'anchor-ahead', anchorSeq: anchor.seq, logSeq: tip.seq });
  } else if (anchor.seq > 0) {
    const hash = anchor.seq === tip.seq ? tip.hash : (await entryAt(file, anchor.seq))?.hash;
    if (hash !== anchor.hash) findings.push({ type: 'log-integrity', finding: 'anchor-mismatch', anchorSeq: anchor.seq, logSeq: tip.seq });
  }
  return { anchor, key: anchorKey(anchor), findings };
}
