// The keys service over the authenticator facade and the ~/.ssh key store: what keys are plugged in, the
// operator's key file, enrollment, PIN setup and resident import. Readiness and upload depend on
// where keys are registered (Entra, or the drill fabric) and are passed in.
import { ElevatedElsewhereError, type Authenticator, type SecurityKeyInfo } from '../../../native/authenticator/authenticator';
import { NbgError } from '../../../native/errors';
import { SkFlag } from '../../../native/sk/types';
import type { AuditSink } from '../audit/index';
import { auditedKeyAction } from '../audit/audited';
import type { SecurityKeyFacts } from '../azure/key-readiness';
import { enrollKey, importResidentKeys } from './enroll';
import { KeyNotFoundError, type KeyStore, type StoredKey } from './store';
import type { CoreInteraction } from '../prompts/interaction';
import type { KeyDevice, KeyState, Readiness, SshKeyInfo } from '../../shared/keys';
import { ErrorCode } from '../../shared/error-codes';
import { pinChangeRoute, WINDOWS_PIN_CHANGE_TEXT } from '../../shared/pin-change';

/** CTAP firmwareVersion as YubiKeys report it: 0x050403 = 5.4.3. */
export function firmwareText(version: number): string {
  return `${(version >> 16) & 0xff}.${(version >> 8) & 0xff}.${version & 0xff}`;
}

/** Rethrows anything but "the step ran in the elevated copy" (its results are in the store). */
function unlessDoneElevated(err: unknown): void {
  if (!(err instanceof ElevatedElsewhereError)) throw err;
}

function toDevice(k: SecurityKeyInfo, transport: KeyDevice['transport']): KeyDevice {
  return {
    id: k.id,
    label: k.label,
    transport: k.windowsSecurity ? 'webauthn' : transport,
    ...(k.aaguid ? { aaguid: k.aaguid } : {}),
    ...(k.firmwareVersion !== undefined ? { firmware: firmwareText(k.firmwareVersion) } : {}),
    // Unknown for a key behind Windows Security: Windows asks for (or sets up) the PIN itself.
    ...(k.pin === 'set' || k.pin === 'unset' ? { pinSet: k.pin === 'set' } : {}),
    ...(k.pinRetries !== undefined ? { pinRetries: k.pinRetries, pinBlocked: k.pinRetries === 0 } : {}),
  };
}

export function toKeyInfo(k: StoredKey): SshKeyInfo {
  const flags = k.flags ?? 0;
  return {
    path: k.file,
    type: k.type,
    publicKey: k.publicKeyLine,
    fingerprint: k.fingerprint,
    resident: (flags & SkFlag.Resident) !== 0,
    verifyRequired: (flags & SkFlag.UserVerificationRequired) !== 0,
  };
}

/** Presence and PIN retries of the first security key, for the readiness check. */
export async function securityKeyFacts(auth: Authenticator): Promise<SecurityKeyFacts> {
  const { keys, problems } = await auth.listKeys();
  const first = keys[0];
  // A key that is plugged in but cannot be used (no udev rule, a failing reply) is not "no key".
  if (!first && problems[0]) throw new NbgError(problems[0].error.code, `${problems[0].label}: ${problems[0].error.message}`);
  return first ? { present: true, ...(first.pinRetries !== undefined ? { pinRetries: first.pinRetries } : {}) } : { present: false };
}

/** The key the app signs with: id_ed25519_sk first, then any other sk key in the store. */
export async function primaryKey(store: KeyStore): Promise<StoredKey | undefined> {
  return pickPrimary(await store.list());
}

function pickPrimary(keys: StoredKey[]): StoredKey | undefined {
  return keys.find((k) => k.file.endsWith('id_ed25519_sk')) ?? keys[0];
}

/** The contract carries at most this many damaged key files (a folder full of them says enough). */
const MAX_SHOWN_PROBLEMS = 32;

/**
 * After an elevated copy imported into the store (Windows): the key files that are new or changed
 * since `before`, put on record here, because this app holds the audit log. Returns the file to show.
 */
async function recordElevatedImport(store: KeyStore, before: StoredKey[], audit: AuditSink | undefined): Promise<string> {
  const after = await store.list();
  const imported = after.filter((k) => ((k.flags ?? 0) & SkFlag.Resident) !== 0
    && !before.some((b) => b.file === k.file && b.fingerprint === k.fingerprint));
  for (const k of imported) {
    await audit?.append({
      type: 'enroll', keyFingerprint: k.fingerprint, keyType: k.type, resident: true,
      verifyRequired: ((k.flags ?? 0) & SkFlag.UserVerificationRequired) !== 0, transport: 'import', outcome: 'ok',
    });
  }
  const shown = imported[0] ?? (await primaryKey(store));
  if (!shown) throw new KeyNotFoundError('is stored on this security key');
  return shown.file;
}

export interface KeysService {
  state(): Promise<KeyState>;
  enroll(deviceId?: string): Promise<SshKeyInfo>;
  setPin(deviceId: string, pin: string): Promise<void>;
  /** Changes the PIN of a key that has one (the key counts a wrong old PIN against its retries). */
  changePin(deviceId: string, oldPin: string, newPin: string): Promise<void>;
  /** Windows: opens the OS's security-key settings, where the PIN of a key behind Windows Security changes. */
  openPinSettings(): Promise<void>;
  importResident(deviceId?: string): Promise<SshKeyInfo>;
  readiness(): Promise<Readiness>;
  /** Uploads the public key to Entra (or the drill fabric), then re-checks readiness. */
  upload(): Promise<Readiness>;
  /** Keys plugged or unplugged, key file written. */
  onChange?(listener: (state: KeyState) => void): () => void;
}

export interface KeysServiceDeps {
  auth: Authenticator;
  store: KeyStore;
  interaction: CoreInteraction;
  transport: KeyDevice['transport'];
  audit?: AuditSink;
  readiness(): Promise<Readiness>;
  upload(key: SshKeyInfo): Promise<void>;
  /** Windows Settings → Sign-in options (main's shell opener); absent where there is no such page. */
  openKeySettings?: () => Promise<void>;
}

/** The PIN of a key behind Windows Security changes in Windows' settings, not here. */
export class PinChangeInWindowsSettingsError extends NbgError {
  constructor() {
    super(ErrorCode.PIN_CHANGE_IN_WINDOWS_SETTINGS, WINDOWS_PIN_CHANGE_TEXT);
  }
}

/** Opening Windows' settings page is offered only where there is one (the desktop app on Windows). */
export class NoKeySettingsPageError extends NbgError {
  constructor() {
    super(ErrorCode.OS_SERVICE_UNAVAILABLE, 'This computer has no Windows security-key settings page to open.');
  }
}

export function keysService(deps: KeysServiceDeps): KeysService & { notify(): void } {
  const listeners = new Set<(state: KeyState) => void>();
  const state = async (): Promise<KeyState> => {
    const [{ keys }, files] = await Promise.all([deps.auth.listKeys(), deps.store.scan()]);
    const key = pickPrimary(files.keys);
    return {
      devices: keys.map((k) => toDevice(k, deps.transport)), key: key ? toKeyInfo(key) : null,
      ...(files.problems.length ? { fileProblems: files.problems.slice(0, MAX_SHOWN_PROBLEMS).map((p) => ({ file: p.file, message: p.message.slice(0, 1024) })) } : {}),
    };
  };
  const notify = () => {
    if (listeners.size === 0) return;
    void state().then((s) => listeners.forEach((l) => l(s)), () => undefined);
  };
  const describe = async (file: string): Promise<SshKeyInfo> => {
    const key = (await deps.store.list()).find((k) => k.file === file);
    if (!key) throw new KeyNotFoundError(`in ${file}`);
    return toKeyInfo(key);
  };
  return {
    state,
    notify,
    async enroll(deviceId) {
      const enrolled = await enrollKey(deps.auth, deps.store, deps.interaction,
        { ...(deviceId ? { keyId: deviceId } : {}), transport: deps.transport === 'simulator' ? 'simulator' : 'hid' }, deps.audit);
      notify();
      return describe(enrolled.file);
    },
    async setPin(deviceId, pin) {
      // On non-elevated Windows the PIN is set in the elevated window (asked there again): done too.
      await auditedKeyAction(deps.audit, { action: 'set-pin' }, () => deps.auth.setPin(pin, { keyId: deviceId })).catch(unlessDoneElevated);
      notify();
    },
    async changePin(deviceId, oldPin, newPin) {
      const device = (await state()).devices.find((d) => d.id === deviceId);
      if (device && pinChangeRoute(device.transport) === 'windows-settings') throw new PinChangeInWindowsSettingsError();
      await deps.auth.changePin(oldPin, newPin, { keyId: deviceId });
      notify();
    },
    async openPinSettings() {
      if (!deps.openKeySettings) throw new NoKeySettingsPageError();
      await deps.openKeySettings();
    },
    async importResident(deviceId) {
      const before = await deps.store.list();
      let file: string;
      try {
        file = await auditedKeyAction(deps.audit, { action: 'import' }, async () => {
          const imported = await importResidentKeys(deps.auth, deps.store, deps.interaction, deviceId ? { keyId: deviceId } : {}, deps.audit);
          const first = imported[0];
          if (!first) throw new KeyNotFoundError('is stored on this security key');
          return first.file;
        });
      } catch (err) {
        unlessDoneElevated(err);
        file = await recordElevatedImport(deps.store, before, deps.audit);
      }
      notify();
      return describe(file);
    },
    readiness: () => deps.readiness(),
    async upload() {
      const key = await primaryKey(deps.store);
      if (!key) throw new KeyNotFoundError('on this computer');
      await deps.upload(toKeyInfo(key));
      return deps.readiness();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
