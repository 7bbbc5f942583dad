// KeysPort over the authenticator facade and the ~/.ssh key store: what keys are plugged in, the
// operator's key file, enrollment, PIN setup and resident import. Readiness and upload depend on
// where keys are registered (Entra, or the drill fabric) and are passed in.
import type { Authenticator, SecurityKeyInfo } from '../../../native/authenticator';
import { SkFlag } from '../../../native/sk/types';
import type { AuditSink } from '../audit';
import type { KeysPort } from '../app';
import { enrollKey, importResidentKeys } from '../keys/enroll';
import { KeyNotFoundError, type KeyStore, type StoredKey } from '../keys/store';
import type { CoreInteraction } from '../prompts/interaction';
import type { KeyDevice, KeyState, Readiness, SshKeyInfo } from '../../shared/keys';

/** CTAP firmwareVersion as YubiKeys report it: 0x050403 = 5.4.3. */
export function firmwareText(version: number): string {
  return `${(version >> 16) & 0xff}.${(version >> 8) & 0xff}.${version & 0xff}`;
}

function toDevice(k: SecurityKeyInfo, transport: KeyDevice['transport']): KeyDevice {
  return {
    id: k.id,
    label: k.label,
    transport,
    aaguid: k.aaguid,
    ...(k.firmwareVersion !== undefined ? { firmware: firmwareText(k.firmwareVersion) } : {}),
    ...(k.pin !== 'unsupported' ? { pinSet: k.pin === 'set' } : {}),
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

/** The key the app signs with: id_ed25519_sk first, then any other sk key in the store. */
export async function primaryKey(store: KeyStore): Promise<StoredKey | undefined> {
  const keys = await store.list();
  return keys.find((k) => k.file.endsWith('id_ed25519_sk')) ?? keys[0];
}

export interface KeysPortDeps {
  auth: Authenticator;
  store: KeyStore;
  interaction: CoreInteraction;
  transport: KeyDevice['transport'];
  audit?: AuditSink;
  readiness(): Promise<Readiness>;
  upload(key: SshKeyInfo): Promise<void>;
}

export function keysPort(deps: KeysPortDeps): KeysPort & { notify(): void } {
  const listeners = new Set<(state: KeyState) => void>();
  const state = async (): Promise<KeyState> => {
    const { keys } = await deps.auth.listKeys();
    const key = await primaryKey(deps.store);
    return { devices: keys.map((k) => toDevice(k, deps.transport)), key: key ? toKeyInfo(key) : null };
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
        { ...(deviceId ? { keyId: deviceId } : {}), transport: deps.transport === 'webauthn' ? 'webauthn-win' : deps.transport }, deps.audit);
      notify();
      return describe(enrolled.file);
    },
    async setPin(deviceId, pin) {
      await deps.auth.setPin(pin, { keyId: deviceId });
      notify();
    },
    async importResident(deviceId) {
      const imported = await importResidentKeys(deps.auth, deps.store, deps.interaction, deviceId ? { keyId: deviceId } : {}, deps.audit);
      const first = imported[0];
      if (!first) throw new KeyNotFoundError('is stored on this security key');
      notify();
      return describe(first.file);
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
