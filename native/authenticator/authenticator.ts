// The security-key facade: what the app does with a key (list, enroll, import resident keys,
// sign, PIN management), reproducing ssh-keygen + ssh-sk-helper byte for byte. Prompts are
// injected; transports come from a KeySource (USB HID, or the simulator behind the same bytes).
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../electron/shared/error-codes';
import type { AuthenticatorInfo } from '../ctap2/getinfo';
import type { PinToken } from '../ctap2/pin-protocol';
import { CredProtect } from '../ctap2/make-credential';
import { PinPermission } from '../ctap2/pin-protocol';
import { CtapStatus, Ctap2StatusError } from '../ctap2/status';
import { sha256 } from '../ctap2/verify';
import { errorCode, errorMessage } from '../errors';
import type { HidDeviceInfo } from '../hid/connection';
import { HidAccessDeniedError } from '../hid/errors';
import type { PromptContext, UserInteraction } from '../interaction';
import type { KeySource } from '../key-source';
import { chooseKey, keyLabel, openKey, touchAware, type OpenKey } from './device';
import { ElevatedElsewhereError, FlagsMismatchError, KeyCapabilityError, NotOnThisKeyError, ResidentKeyExistsError } from './errors';
import { acquirePinToken, requirePinSupport, type PinCache } from './pin';
import { WINDOWS_SECURITY_KEY_PATH, withWindowsSecurityKey } from './windows-security';
import { buildSkSignatureBlob } from '../sk/signature';
import { chooseTransport, type KeyAction } from '../transport-choice';
import { ApiVersion } from '../webauthn-win/constants';
import type { WebAuthnWin } from '../webauthn-win/webauthn-win';
import { CoseAlg, SkFlag, SkKeyType, type SkAssertion, type SkCredential, type SkKeyHandle } from '../sk/types';

export type { PinCache } from './pin';
export * from './errors';

export const DEFAULT_APPLICATION = 'ssh:';
export const DEFAULT_COMMENT = 'NexusIdentitySSHKey';
/** ssh-keygen's fixed enrollment user: 32 zero bytes named "openssh". */
export const OPENSSH_USER_ID = Buffer.alloc(32);

/** ssh-keygen -O user=NAME: the name copied into a zeroed 32-byte user id. */
export function userIdFromName(name: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0 || bytes.length > 32) throw new KeyCapabilityError('A user name for the key must be 1 to 32 bytes long.');
  const id = Buffer.alloc(32);
  bytes.copy(id);
  return id;
}
const OPENSSH_USER_NAME = 'openssh';
const CHALLENGE_BYTES = 32;

export type SkAlgorithmName = 'ed25519-sk' | 'ecdsa-sk';

export interface SecurityKeyInfo {
  id: string;
  label: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  versions: string[];
  /** Hex; empty when unknown (a key reached through Windows Security). */
  aaguid: string;
  firmwareVersion?: number;
  /** 'windows': Windows Security asks for (or sets up) the PIN; its state is not visible here. */
  pin: 'set' | 'unset' | 'unsupported' | 'windows';
  pinRetries?: number;
  algorithms: SkAlgorithmName[];
  residentKeys: boolean;
  credProtect: boolean;
  credentialManagement: boolean;
  builtInUv: boolean;
  remainingResidentKeys?: number;
  /** Reached through webauthn.dll (Windows without admin rights), not raw HID. */
  windowsSecurity?: true;
}

export interface SecurityKeyProblem {
  id: string;
  label: string;
  error: { code: ErrorCode; message: string };
}

export interface EnrollOptions {
  type?: SkAlgorithmName;
  application?: string;
  resident?: boolean;
  verifyRequired?: boolean;
  touchRequired?: boolean;
  comment?: string;
  /** ssh-keygen's zero user id unless given (a random one lets two resident keys coexist). */
  userId?: Buffer;
  keyId?: string;
  signal?: AbortSignal;
}

export interface EnrollResult {
  handle: SkKeyHandle;
  credential: SkCredential;
  keyId: string;
  attestationVerified: boolean;
  /** True when an existing resident credential with the same user id was replaced. */
  replaced: boolean;
  /** True when a random user id was used so an existing resident key stays on the device. */
  randomUserId: boolean;
  transport: 'hid' | 'webauthn-win';
}

export interface ResidentKey {
  handle: SkKeyHandle;
  userId: Buffer;
}

export interface SignOptions {
  context: PromptContext;
  /** Keeps the PIN for every signature of one operation (a jump chain); wiped by its owner. */
  pinCache?: PinCache;
  keyId?: string;
  signal?: AbortSignal;
}

export interface SignResult {
  /** Complete SSH signature blob: string type, string sig, byte flags, uint32 counter. */
  signature: Buffer;
  flags: number;
  counter: number;
  /** The verified assertion it was built from (SSHSIG and audit use it). */
  assertion: SkAssertion;
}

const TYPE_BY_NAME: Record<SkAlgorithmName, { type: SkKeyType; alg: CoseAlg }> = {
  'ed25519-sk': { type: SkKeyType.Ed25519, alg: CoseAlg.EdDSA },
  'ecdsa-sk': { type: SkKeyType.EcdsaP256, alg: CoseAlg.ES256 },
};

function supportedAlgorithms(info: AuthenticatorInfo): SkAlgorithmName[] {
  // Keys that predate the algorithms field (CTAP 2.0) all do ES256; Ed25519 is then unknown until tried.
  if (!info.algorithms) return ['ecdsa-sk'];
  const algs = new Set(info.algorithms.filter((a) => a.type === 'public-key').map((a) => a.alg));
  return (Object.keys(TYPE_BY_NAME) as SkAlgorithmName[]).filter((n) => algs.has(TYPE_BY_NAME[n].alg));
}

/** Windows without admin rights: raw FIDO HID is refused, so enroll and sign use webauthn.dll. */
export interface WindowsRoute {
  platform?: NodeJS.Platform;
  /** webauthn.dll when usable (tryCreateWebAuthnWin), else null. Called at most once. */
  webauthn: () => WebAuthnWin | null;
  /** Runs one raw-HID action in an elevated copy of the app (UAC); absent: the operator is told to. */
  relaunchElevated?: (action: KeyAction) => Promise<void>;
}

type Route<T> = { hid: (key: OpenKey) => Promise<T>; windows?: (win: WebAuthnWin) => Promise<T> };

export class Authenticator {
  private webauthnLoaded: WebAuthnWin | null | undefined;
  private readonly source: KeySource;

  constructor(source: KeySource, private readonly interaction: UserInteraction, private readonly windows?: WindowsRoute) {
    this.source = windows ? withWindowsSecurityKey(source, () => this.webauthn() !== null) : source;
  }

  /** Every connected key with what the app needs to know about it; keys that fail to open are reported, not hidden. */
  async listKeys(): Promise<{ keys: SecurityKeyInfo[]; problems: SecurityKeyProblem[] }> {
    const keys: SecurityKeyInfo[] = [];
    const problems: SecurityKeyProblem[] = [];
    for (const info of await this.source.list()) {
      try {
        keys.push(await this.withKey(info, (k) => describe(k)));
      } catch (err) {
        const win = err instanceof HidAccessDeniedError ? this.webauthn() : null;
        if (win) {
          keys.push(windowsSecurityInfo(info, win));
          continue;
        }
        problems.push({ id: info.path, label: keyLabel(info), error: { code: errorCode(err) ?? ErrorCode.KEY_ERROR, message: errorMessage(err) } });
      }
    }
    return { keys, problems };
  }

  /** `ssh-keygen -t ed25519-sk -O resident -O verify-required` on the chosen key. */
  async enroll(options: EnrollOptions = {}): Promise<EnrollResult> {
    const o = {
      type: options.type ?? 'ed25519-sk',
      application: options.application ?? DEFAULT_APPLICATION,
      resident: options.resident ?? true,
      verifyRequired: options.verifyRequired ?? true,
      touchRequired: options.touchRequired ?? true,
      comment: options.comment ?? DEFAULT_COMMENT,
    };
    if (!o.application.startsWith('ssh:')) throw new KeyCapabilityError('The application must start with "ssh:".');
    const { type, alg } = TYPE_BY_NAME[o.type];
    const context: PromptContext = { purpose: `create your ${o.type} SSH key` };
    const info = await chooseKey(this.source, this.interaction, context, options.keyId);
    const credProtect = o.verifyRequired ? CredProtect.Required : o.resident ? CredProtect.OptionalWithCredentialIdList : undefined;
    const flags = (o.touchRequired ? SkFlag.UserPresenceRequired : 0)
      | (o.verifyRequired ? SkFlag.UserVerificationRequired : 0)
      | (o.resident ? SkFlag.Resident : 0);
    const toHandle = (credential: SkCredential): SkKeyHandle => {
      if (credential.type !== type) throw new KeyCapabilityError(`The security key created a ${credential.type} key instead of ${type}.`);
      return { type, publicKey: credential.publicKey, application: o.application, flags, keyHandle: credential.credentialId, comment: o.comment };
    };
    return this.route<EnrollResult>('enroll', info, context, {
      windows: async (win) => {
        // Windows cannot tell whether a resident ssh: key exists, so (like Win32-OpenSSH) a random
        // user id keeps an existing one instead of silently replacing it.
        const randomUserId = o.resident && !options.userId;
        const userId = options.userId ?? (randomUserId ? randomBytes(32) : OPENSSH_USER_ID);
        const credential = await win.makeCredential({
          alg, rk: o.resident, credProtect: credProtect ?? 0, userId, challenge: randomBytes(CHALLENGE_BYTES),
          uv: o.verifyRequired, application: o.application, context, ...(options.signal ? { signal: options.signal } : {}),
        });
        return {
          handle: toHandle(credential), credential, keyId: info.path, attestationVerified: credential.attestationVerified, replaced: false, randomUserId,
          transport: 'webauthn-win',
        };
      },
      hid: async (key) => {
        if (key.ctap.algorithms && !supportedAlgorithms(key.ctap).includes(o.type)) {
          throw new Ctap2StatusError(CtapStatus.UNSUPPORTED_ALGORITHM);
        }
        if (credProtect && !key.ctap.extensions.includes('credProtect')) {
          throw new KeyCapabilityError('This security key lacks the credProtect extension that resident and verify-required SSH keys need.');
        }
        if (o.resident && !key.ctap.options.rk) throw new KeyCapabilityError('This security key cannot store resident keys.');
        if (o.verifyRequired) requirePinSupport(key);

        let token: PinToken | undefined;
        let userId = options.userId ?? OPENSSH_USER_ID;
        let replaced = false;
        let randomUserId = false;
        try {
          if (key.ctap.options.clientPin === true) {
            token = await acquirePinToken(key, this.interaction, context, {
              permissions: PinPermission.MC | PinPermission.GA, rpId: o.application,
            });
          }
          if (o.resident && token && (await this.residentExists(key, token, o.application, userId))) {
            if (await this.interaction.confirm({
              kind: 'overwrite-key',
              message: `This security key already holds an SSH key for "${o.application}". Creating a new one replaces it, and the old key stops working everywhere it is registered. Replace it?`,
              context,
            })) {
              replaced = true;
            } else if (await this.interaction.confirm({
              kind: 'keep-both',
              message: 'Keep both keys on the security key by giving the new one a random user id?',
              context,
            })) {
              userId = randomBytes(32);
              randomUserId = true;
            } else {
              throw new ResidentKeyExistsError(o.application);
            }
          }
          const clientDataHash = sha256(randomBytes(CHALLENGE_BYTES));
          const touch = touchAware(this.interaction, context, options.signal);
          let credential;
          try {
            credential = await key.client.makeCredential({
              clientDataHash,
              rpId: o.application,
              user: { id: userId, name: OPENSSH_USER_NAME, displayName: OPENSSH_USER_NAME },
              alg,
              ...(credProtect ? { credProtect } : {}),
              residentKey: o.resident,
            }, token, touch.opts);
          } finally {
            touch.done();
          }
          return {
            handle: toHandle(credential), credential, keyId: key.info.path, attestationVerified: credential.attestationVerified, replaced, randomUserId,
            transport: 'hid',
          };
        } finally {
          token?.wipe();
        }
      },
    });
  }

  /** `ssh-keygen -K`: every resident `ssh:` credential on the key, as handle records. */
  async importResident(options: { keyId?: string; signal?: AbortSignal } = {}): Promise<ResidentKey[]> {
    const context: PromptContext = { purpose: 'read the SSH keys stored on your security key' };
    const info = await chooseKey(this.source, this.interaction, context, options.keyId);
    return this.route('import-resident', info, context, { hid: async (key) => {
      if (!key.ctap.options.credMgmt && !key.ctap.options.credentialMgmtPreview) {
        throw new KeyCapabilityError('This security key cannot list the keys stored on it (no credential management).');
      }
      const token = await acquirePinToken(key, this.interaction, context, { permissions: PinPermission.CM });
      try {
        const cm = await key.client.credentialManagement(token);
        const out: ResidentKey[] = [];
        for (const rp of await cm.enumerateRps()) {
          if (!rp.rpId || !rp.rpId.toLowerCase().startsWith('ssh:')) continue;
          for (const cred of await cm.enumerateCredentials(rp.rpIdHash)) {
            // ssh-sk.c sshsk_load_resident: credProtect 3 needs UV, which the file flag asks for unless the key has built-in UV.
            const needsPinFlag = cred.credProtect === CredProtect.Required && !key.ctap.options.uv;
            out.push({
              userId: cred.userId,
              handle: {
                type: cred.type,
                publicKey: cred.publicKey,
                application: rp.rpId,
                flags: SkFlag.UserPresenceRequired | SkFlag.Resident | (needsPinFlag ? SkFlag.UserVerificationRequired : 0),
                keyHandle: cred.credentialId,
                comment: rp.rpId,
              },
            });
          }
        }
        return out;
      } finally {
        token.wipe();
      }
    } });
  }

  /** What ssh-agent + ssh-sk-helper do for one signature, with the reply verified before it is returned. */
  async sign(handle: SkKeyHandle, data: Buffer, options: SignOptions): Promise<SignResult> {
    const info = await chooseKey(this.source, this.interaction, options.context, options.keyId);
    const needUv = (handle.flags & SkFlag.UserVerificationRequired) !== 0;
    const needUp = (handle.flags & SkFlag.UserPresenceRequired) !== 0;
    const signer = { type: handle.type, publicKey: handle.publicKey };
    const finish = (assertion: SkAssertion): SignResult => {
      if (needUv && !(assertion.flags & SkFlag.UserVerificationRequired)) {
        throw new FlagsMismatchError('The security key signed without verifying your PIN although this key requires it; the signature was not used.');
      }
      return {
        signature: buildSkSignatureBlob(handle.type, assertion), flags: assertion.flags, counter: assertion.counter,
        assertion: { authData: assertion.authData, signature: assertion.signature, flags: assertion.flags, counter: assertion.counter },
      };
    };
    return this.route('sign', info, options.context, {
      windows: async (win) => finish(await win.getAssertion({
        application: handle.application, keyHandle: handle.keyHandle, data, uv: needUv, up: needUp, signer,
        context: options.context, ...(options.signal ? { signal: options.signal } : {}),
      })),
      hid: async (key) => {
        const request = {
          rpId: handle.application,
          clientDataHash: sha256(data),
          allowList: [handle.keyHandle],
          userPresence: needUp,
        };
        const tokenFor = () => acquirePinToken(key, this.interaction, options.context, {
          permissions: PinPermission.GA, rpId: handle.application, ...(options.pinCache ? { cache: options.pinCache } : {}),
        });
        let token = needUv ? await tokenFor() : undefined;
        try {
          const assertOnce = async () => {
            const touch = touchAware(this.interaction, options.context, options.signal);
            try {
              return await key.client.getAssertion(request, token, signer, touch.opts);
            } finally {
              touch.done();
            }
          };
          let assertion;
          try {
            assertion = await assertOnce();
          } catch (err) {
            // A credProtect-3 credential hides without UV and some keys demand a PIN outright: ask once, like OpenSSH.
            const pinNeeded = err instanceof Ctap2StatusError && !token
              && (err.status === CtapStatus.PIN_REQUIRED || err.status === CtapStatus.NO_CREDENTIALS);
            if (!pinNeeded || key.ctap.options.clientPin !== true) throw translateNoCredentials(err);
            token = await tokenFor();
            assertion = await assertOnce().catch((e: unknown) => { throw translateNoCredentials(e); });
          }
          return finish(assertion);
        } finally {
          token?.wipe();
        }
      },
    });
  }

  async setPin(newPin: string, options: { keyId?: string } = {}): Promise<void> {
    const context = { purpose: 'set the PIN' };
    const info = await chooseKey(this.source, this.interaction, context, options.keyId);
    await this.route('pin-management', info, context, { hid: async (key) => {
      const state = key.ctap.options.clientPin;
      if (state === undefined) throw new KeyCapabilityError('This security key has no PIN support.');
      if (state === true) throw new KeyCapabilityError('This security key already has a PIN; change it instead.');
      await key.client.setPin(newPin);
    } });
  }

  async changePin(oldPin: string, newPin: string, options: { keyId?: string } = {}): Promise<void> {
    const context = { purpose: 'change the PIN' };
    const info = await chooseKey(this.source, this.interaction, context, options.keyId);
    await this.route('pin-management', info, context, { hid: async (key) => {
      requirePinSupport(key);
      await key.client.changePin(oldPin, newPin);
    } });
  }

  private async withKey<T>(info: HidDeviceInfo, f: (key: OpenKey) => Promise<T>): Promise<T> {
    const key = await openKey(this.source, info);
    try {
      return await f(key);
    } finally {
      await key.close().catch(() => undefined);
    }
  }

  /** webauthn.dll on Windows when it loads; null elsewhere (and without a Windows route). */
  private webauthn(): WebAuthnWin | null {
    if (this.webauthnLoaded === undefined) {
      this.webauthnLoaded = this.windows && (this.windows.platform ?? process.platform) === 'win32' ? this.windows.webauthn() : null;
    }
    return this.webauthnLoaded;
  }

  /** Raw HID when the OS lets us open the key; on non-elevated Windows, webauthn.dll or elevation. */
  private async route<T>(action: KeyAction, info: HidDeviceInfo, context: PromptContext, route: Route<T>): Promise<T> {
    if (!this.windows) return this.withKey(info, route.hid);
    const choice = await chooseTransport(action, {
      platform: this.windows.platform ?? process.platform,
      openHid: () => openKey(this.source, info),
      webAuthnAvailable: () => route.windows !== undefined && this.webauthn() !== null,
      ...(this.windows.relaunchElevated ? { relaunchElevated: this.windows.relaunchElevated } : {}),
      interaction: this.interaction,
      context,
    });
    if (choice.kind === 'hid') {
      try {
        return await route.hid(choice.connection);
      } finally {
        await choice.connection.close().catch(() => undefined);
      }
    }
    const win = this.webauthn();
    if (choice.kind === 'webauthn-win' && route.windows && win) return route.windows(win);
    throw new ElevatedElsewhereError();
  }

  /** OpenSSH's key_lookup: a silent discoverable assertion for the rp, compared by user id. */
  private async residentExists(key: OpenKey, token: PinToken, application: string, userId: Buffer): Promise<boolean> {
    const req = { rpId: application, clientDataHash: sha256(OPENSSH_USER_ID), userPresence: false };
    try {
      let a = await key.client.getAssertion(req, token);
      const total = a.numberOfCredentials ?? 1;
      for (let i = 0; ; ) {
        if (a.userId?.equals(userId)) return true;
        if (++i >= total) return false;
        a = await key.client.getNextAssertion();
      }
    } catch (err) {
      if (err instanceof Ctap2StatusError && err.status === CtapStatus.NO_CREDENTIALS) return false;
      throw err;
    }
  }
}

function translateNoCredentials(err: unknown): unknown {
  return err instanceof Ctap2StatusError && err.status === CtapStatus.NO_CREDENTIALS ? new NotOnThisKeyError() : err;
}

/** What can be said of a key that only Windows Security can reach: little, and the rest is Windows' to ask. */
function windowsSecurityInfo(info: HidDeviceInfo, win: WebAuthnWin): SecurityKeyInfo {
  return {
    id: info.path,
    label: info.path === WINDOWS_SECURITY_KEY_PATH ? keyLabel(info) : `${keyLabel(info)} through Windows Security`,
    vendorId: info.vendorId,
    productId: info.productId,
    versions: [],
    aaguid: '',
    pin: 'windows',
    algorithms: ['ed25519-sk', 'ecdsa-sk'],
    residentKeys: true,
    credProtect: win.apiVersion >= ApiVersion.V2, // the first with the credProtect extension
    credentialManagement: false,
    builtInUv: false,
    windowsSecurity: true,
  };
}

async function describe(key: OpenKey): Promise<SecurityKeyInfo> {
  const c = key.ctap;
  const pin = c.options.clientPin === undefined ? 'unsupported' : c.options.clientPin ? 'set' : 'unset';
  const out: SecurityKeyInfo = {
    id: key.info.path,
    label: keyLabel(key.info),
    vendorId: key.info.vendorId,
    productId: key.info.productId,
    versions: c.versions,
    aaguid: c.aaguid.toString('hex'),
    pin,
    algorithms: supportedAlgorithms(c),
    residentKeys: c.options.rk === true,
    credProtect: c.extensions.includes('credProtect'),
    credentialManagement: c.options.credMgmt === true || c.options.credentialMgmtPreview === true,
    builtInUv: c.options.uv === true,
  };
  if (key.info.serialNumber) out.serialNumber = key.info.serialNumber;
  if (c.firmwareVersion !== undefined) out.firmwareVersion = c.firmwareVersion;
  if (c.remainingDiscoverableCredentials !== undefined) out.remainingResidentKeys = c.remainingDiscoverableCredentials;
  if (pin === 'set') out.pinRetries = (await key.client.getPinRetries()).retries;
  return out;
}
