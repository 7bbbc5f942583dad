// The hash chain: how one entry's hash is computed and how a log file's bytes split into entries.
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { auditEntry, type AuditEntry } from './events';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 over the canonical JSON of the entry without `hash`; `prev` inside it is what chains. */
export function entryHash(entry: Record<string, unknown>): string {
  const { hash: _hash, ...rest } = entry;
  return sha256(canonicalJson(rest));
}

export interface ParsedLine {
  /** 1-based line number in the file. */
  line: number;
  raw: string;
  entry?: AuditEntry;
  /** Why the line is not an entry (JSON or schema error). */
  error?: string;
}

export interface ParsedLog {
  lines: ParsedLine[];
  /** Bytes after the last newline: an append that a crash cut short (or a hand-made cut). */
  tail?: { raw: string; line: number };
}

export function parseAuditLog(text: string): ParsedLog {
  const parts = text.split('\n');
  const last = parts.pop() ?? '';
  const lines = parts.map((raw, i) => parseLine(raw, i + 1));
  return last === '' ? { lines } : { lines, tail: { raw: last, line: parts.length + 1 } };
}

export function parseLine(raw: string, line: number): ParsedLine {
  return { line, raw, ...parseEntry(raw) };
}

/** One line's text as an entry, or why it is not one (JSON or schema error). */
export function parseEntry(raw: string): { entry: AuditEntry } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { error: 'not JSON' };
  }
  const parsed = auditEntry.safeParse(json);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ') };
  return { entry: parsed.data };
}

/** HMAC-SHA256 with the anchor's key over the canonical JSON of the entry without `hash` and `mac`. */
export function entryMac(key: Buffer, entry: Record<string, unknown>): string {
  const { hash: _hash, mac: _mac, ...rest } = entry;
  return createHmac('sha256', key).update(canonicalJson(rest)).digest('hex');
}
