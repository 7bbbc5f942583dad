// `ssh-keygen -t ed25519-sk -O resident -O verify-required`: OpenSSH's enrollment defaults, then
// makeCredential over raw HID (with OpenSSH's resident-key overwrite check) or webauthn.dll.
import { randomBytes } from 'node:crypto';
import type { CoseAlg } from '../ctap2/cose';
import { CredProtect, type MakeCredentialResult } from '../ctap2/make-credential';
import { PinPermission, type PinToken } from '../ctap2/pin-protocol';
import { CtapStatus, Ctap2StatusError } from '../ctap2/status';
import { sha256 } from '../ctap2/verify';
import type { PromptContext, UserInteraction } from '../interaction';
import { SkFlag, type SkCredential, type SkKeyHandle, type SkKeyType } from '../sk/types';
import type { WebAuthnWin } from '../webauthn-win/webauthn-win';
import { touchAware, type OpenKey } from './device';
import { KeyCapabilityError, ResidentKeyExistsError } from './errors';
import { acquirePinToken, requirePinSupport } from './pin';
import type { Route } from './route';
import { SK_ALGORITHMS, skCredential, skKeyType, supportedAlgorithms, type SkAlgorithmName } from './ssh-records';

export const DEFAULT_APPLICATION = 'ssh:';
export const DEFAULT_COMMENT = 'NexusIdentitySSHKey';
/** ssh-keygen's fixed enrollment user: 32 zero bytes named "openssh". */
export const OPENSSH_USER_ID = Buffer.alloc(32);
const USER_ID_BYTES = 32;
const OPENSSH_USER_NAME = 'openssh';
const CHALLENGE_BYTES = 32;

/** ssh-keygen -O user=NAME: the name copied into a zeroed 32-byte user id. */
export function userIdFromName(name: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0 || bytes.length > USER_ID_BYTES) throw new KeyCapabilityError('A user name for the key must be 1 to 32 bytes long.');
  const id = Buffer.alloc(USER_ID_BYTES);
  bytes.copy(id);
  return id;
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

/** The options with ssh-keygen's defaults filled in, and what they mean for the key file and the key. */
export interface EnrollPlan {
  name: SkAlgorithmName;
  type: SkKeyType;
  alg: CoseAlg;
  application: string;
  resident: boolean;
  verifyRequired: boolean;
  comment: string;
  /** The key file's flags (touch, verify-required, resident). */
  flags: number;
  credProtect?: typeof CredProtect.Required | typeof CredProtect.OptionalWithCredentialIdList;
  userId?: Buffer;
  signal?: AbortSignal;
  context: PromptContext;
}

export function planEnroll(options: EnrollOptions): EnrollPlan {
  const name = options.type ?? 'ed25519-sk';
  const application = options.application ?? DEFAULT_APPLICATION;
  const resident = options.resident ?? true;
  const verifyRequired = options.verifyRequired ?? true;
  const touchRequired = options.touchRequired ?? true;
  if (!application.startsWith('ssh:')) throw new KeyCapabilityError('The application must start with "ssh:".');
  const credProtect = verifyRequired ? CredProtect.Required : resident ? CredProtect.OptionalWithCredentialIdList : undefined;
  return {
    name, ...SK_ALGORITHMS[name], application, resident, verifyRequired,
    comment: options.comment ?? DEFAULT_COMMENT,
    flags: (touchRequired ? SkFlag.UserPresenceRequired : 0)
      | (verifyRequired ? SkFlag.UserVerificationRequired : 0)
      | (resident ? SkFlag.Resident : 0),
    ...(credProtect ? { credProtect } : {}),
    ...(options.userId ? { userId: options.userId } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    context: { purpose: `create your ${name} SSH key` },
  };
}

/** Both transports for one enrollment on the key at `keyId`. */
export function enrollRoute(plan: EnrollPlan, keyId: string, interaction: UserInteraction): Route<EnrollResult> {
  return {
    windows: (win) => enrollThroughWindows(win, plan, keyId),
    hid: (key) => enrollOverHid(key, plan, interaction),
  };
}

async function enrollThroughWindows(win: WebAuthnWin, plan: EnrollPlan, keyId: string): Promise<EnrollResult> {
  // Windows cannot tell whether a resident ssh: key exists, so (like Win32-OpenSSH) a random
  // user id keeps an existing one instead of silently replacing it.
  const randomUserId = plan.resident && !plan.userId;
  const userId = plan.userId ?? (randomUserId ? randomBytes(USER_ID_BYTES) : OPENSSH_USER_ID);
  const created = await win.makeCredential({
    alg: plan.alg, rk: plan.resident, credProtect: plan.credProtect ?? 0, userId, challenge: randomBytes(CHALLENGE_BYTES),
    uv: plan.verifyRequired, application: plan.application, context: plan.context, ...(plan.signal ? { signal: plan.signal } : {}),
  });
  return result(plan, created, { keyId, replaced: false, randomUserId, transport: 'webauthn-win' });
}

async function enrollOverHid(key: OpenKey, plan: EnrollPlan, interaction: UserInteraction): Promise<EnrollResult> {
  if (key.ctap.algorithms && !supportedAlgorithms(key.ctap).includes(plan.name)) {
    throw new Ctap2StatusError(CtapStatus.UNSUPPORTED_ALGORITHM);
  }
  if (plan.credProtect && !key.ctap.extensions.includes('credProtect')) {
    throw new KeyCapabilityError('This security key lacks the credProtect extension that resident and verify-required SSH keys need.');
  }
  if (plan.resident && !key.ctap.options.rk) throw new KeyCapabilityError('This security key cannot store resident keys.');
  if (plan.verifyRequired) requirePinSupport(key);

  let token: PinToken | undefined;
  try {
    if (key.ctap.options.clientPin === true) {
      token = await acquirePinToken(key, interaction, plan.context, { permissions: PinPermission.MC | PinPermission.GA, rpId: plan.application });
    }
    const { userId, replaced, randomUserId } = await chooseUserId(key, token, plan, interaction);
    const touch = touchAware(interaction, plan.context, plan.signal);
    let created: MakeCredentialResult;
    try {
      created = await key.client.makeCredential({
        clientDataHash: sha256(randomBytes(CHALLENGE_BYTES)),
        rpId: plan.application,
        user: { id: userId, name: OPENSSH_USER_NAME, displayName: OPENSSH_USER_NAME },
        alg: plan.alg,
        ...(plan.credProtect ? { credProtect: plan.credProtect } : {}),
        residentKey: plan.resident,
      }, token, touch.opts);
    } finally {
      touch.done();
    }
    return result(plan, created, { keyId: key.info.path, replaced, randomUserId, transport: 'hid' });
  } finally {
    token?.wipe();
  }
}

/** OpenSSH's overwrite check: a resident key with this user id exists → replace it, keep both, or stop. */
async function chooseUserId(
  key: OpenKey, token: PinToken | undefined, plan: EnrollPlan, interaction: UserInteraction,
): Promise<{ userId: Buffer; replaced: boolean; randomUserId: boolean }> {
  const userId = plan.userId ?? OPENSSH_USER_ID;
  if (!plan.resident || !token || !(await residentExists(key, token, plan.application, userId))) {
    return { userId, replaced: false, randomUserId: false };
  }
  if (await interaction.confirm({
    kind: 'overwrite-key',
    message: `This security key already holds an SSH key for "${plan.application}". Creating a new one replaces it, and the old key stops working everywhere it is registered. Replace it?`,
    context: plan.context,
  })) {
    return { userId, replaced: true, randomUserId: false };
  }
  if (await interaction.confirm({
    kind: 'keep-both',
    message: 'Keep both keys on the security key by giving the new one a random user id?',
    context: plan.context,
  })) {
    return { userId: randomBytes(USER_ID_BYTES), replaced: false, randomUserId: true };
  }
  throw new ResidentKeyExistsError(plan.application);
}

/** OpenSSH's key_lookup: a silent discoverable assertion for the rp, compared by user id. */
async function residentExists(key: OpenKey, token: PinToken, application: string, userId: Buffer): Promise<boolean> {
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
    // CTAP's answer for "no credential for this rp": the lookup's negative result, not a failure.
    if (err instanceof Ctap2StatusError && err.status === CtapStatus.NO_CREDENTIALS) return false;
    throw err;
  }
}

function result(
  plan: EnrollPlan, created: MakeCredentialResult, rest: Pick<EnrollResult, 'keyId' | 'replaced' | 'randomUserId' | 'transport'>,
): EnrollResult {
  const type = skKeyType(created.alg);
  if (type !== plan.type) throw new KeyCapabilityError(`The security key created a ${type} key instead of ${plan.type}.`);
  const handle: SkKeyHandle = {
    type, publicKey: created.publicKey, application: plan.application, flags: plan.flags, keyHandle: created.credentialId, comment: plan.comment,
  };
  return { handle, credential: skCredential(created), attestationVerified: created.attestationVerified, ...rest };
}
