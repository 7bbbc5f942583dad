import { promises as fs } from 'node:fs';
import { NbgError, isNodeError } from '../errors';
import { writeFileAtomic } from '../util/atomic-file';
import type { SimulatorProfileName } from './profiles';
import { ErrorCode } from '../../electron/shared/error-codes';

export interface SimCredential {
  id: string; // base64
  rpId: string;
  userId: string; // base64
  userName?: string;
  displayName?: string;
  alg: -7 | -8;
  privateKey: string; // PKCS#8 DER, base64: a simulator has no secure element
  credProtect: number;
  resident: boolean;
  created: number;
  /** U2F registrations: the application parameter (hex) they were made for; rpId is then empty. */
  u2fApplication?: string;
}

/** What survives a "replug" and a process restart. */
export interface SimPersistentState {
  version: 1;
  profile: SimulatorProfileName;
  pinHash?: string; // hex of LEFT(SHA-256(PIN), 16)
  pinRetries: number;
  counter: number;
  serial: number;
  credentials: SimCredential[];
}

export class SimulatorStateError extends NbgError {
  constructor(file: string, detail: string) {
    super(ErrorCode.SIMULATOR_STATE_INVALID, `The simulated key's state file ${file} is unreadable (${detail}). Delete it to start fresh.`);
  }
}

export function freshState(profile: SimulatorProfileName): SimPersistentState {
  return { version: 1, profile, pinRetries: 8, counter: 0, serial: 0, credentials: [] };
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function validate(file: string, raw: unknown): SimPersistentState {
  const bad = (d: string): never => {
    throw new SimulatorStateError(file, d);
  };
  if (typeof raw !== 'object' || raw === null) bad('not an object');
  const o = raw as Record<string, unknown>;
  if (o.version !== 1) bad('unknown version');
  if (o.profile !== 'yubikey5-fw54' && o.profile !== 'ctap21') bad('unknown profile');
  if (o.pinHash !== undefined && !(isStr(o.pinHash) && /^[0-9a-f]{32}$/.test(o.pinHash))) bad('pinHash');
  if (!isInt(o.pinRetries) || o.pinRetries < 0 || o.pinRetries > 8) bad('pinRetries');
  if (!isInt(o.counter) || o.counter < 0) bad('counter');
  if (!isInt(o.serial) || o.serial < 0) bad('serial');
  if (!Array.isArray(o.credentials)) bad('credentials');
  for (const c of o.credentials as unknown[]) {
    const r = c as Record<string, unknown>;
    if (typeof c !== 'object' || c === null || !isStr(r.id) || !isStr(r.rpId) || !isStr(r.userId) || !isStr(r.privateKey) ||
      (r.alg !== -7 && r.alg !== -8) || !isInt(r.credProtect) || typeof r.resident !== 'boolean' || !isInt(r.created) ||
      (r.userName !== undefined && !isStr(r.userName)) || (r.displayName !== undefined && !isStr(r.displayName)) ||
      (r.u2fApplication !== undefined && !(isStr(r.u2fApplication) && /^[0-9a-f]{64}$/.test(r.u2fApplication)))) {
      bad('credential entry');
    }
  }
  return o as unknown as SimPersistentState;
}

export async function loadState(file: string): Promise<SimPersistentState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    // No file yet is a new simulator (a key fresh from the box); any other read error is reported.
    if (isNodeError(err, 'ENOENT')) return undefined;
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SimulatorStateError(file, 'not JSON');
  }
  return validate(file, raw);
}

export function saveState(file: string, state: SimPersistentState): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}
