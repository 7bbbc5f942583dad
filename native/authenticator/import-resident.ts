// `ssh-keygen -K`: every resident `ssh:` credential on the key, as key-file handle records.
import { randomBytes } from 'node:crypto';
import type { ResidentCredential } from '../ctap2/cred-mgmt';
import { CredProtect } from '../ctap2/make-credential';
import { CtapStatus, Ctap2StatusError } from '../ctap2/status';
import { PinPermission } from '../ctap2/pin-protocol';
import type { PromptContext, UserInteraction } from '../interaction';
import { SkFlag, type SkKeyHandle } from '../sk/types';
import type { OpenKey } from './device';
import { KeyCapabilityError } from './errors';
import { acquirePinToken } from './pin';
import { skKeyType } from './ssh-records';

export interface ResidentKey {
  handle: SkKeyHandle;
  userId: Buffer;
}

/** OpenSSH's rule for which stored credentials are SSH keys (ssh-sk.c sshsk_load_resident). */
const SSH_APPLICATION_PREFIX = 'ssh:';

export async function importResidentOverHid(key: OpenKey, interaction: UserInteraction, context: PromptContext): Promise<ResidentKey[]> {
  if (!key.ctap.options.credMgmt && !key.ctap.options.credentialMgmtPreview) {
    throw new KeyCapabilityError('This security key cannot list the keys stored on it (no credential management).');
  }
  const token = await acquirePinToken(key, interaction, context, { permissions: PinPermission.CM });
  try {
    const cm = await key.client.credentialManagement(token);
    const out: ResidentKey[] = [];
    for (const rp of await cm.enumerateRps()) {
      if (!rp.rpId || !rp.rpId.toLowerCase().startsWith(SSH_APPLICATION_PREFIX)) continue;
      for (const cred of await cm.enumerateCredentials(rp.rpIdHash)) {
        // ssh-sk.c sshsk_load_resident: credProtect 3 needs UV, which the file flag asks for unless the key has built-in UV.
        const needsPinFlag = !key.ctap.options.uv && (await enforcedCredProtect(key, rp.rpId, cred)) === CredProtect.Required;
        out.push({
          userId: cred.userId,
          handle: {
            type: skKeyType(cred.alg),
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
}

/**
 * The credProtect level the key enforces for a resident credential. A reported 3 is believed; any
 * other report is checked, because solo1 reports 1 for EdDSA credentials it guards at level 3. The
 * check is an assertion without touch or UV that lists only this credential: at level 3 the key
 * must not reveal it (NO_CREDENTIALS), at levels 1 and 2 it answers (CTAP 2.1 §12.1).
 */
async function enforcedCredProtect(key: OpenKey, rpId: string, cred: ResidentCredential): Promise<number | undefined> {
  if (cred.credProtect === CredProtect.Required) return cred.credProtect;
  try {
    await key.client.getAssertion({ rpId, clientDataHash: randomBytes(32), allowList: [cred.credentialId], userPresence: false }, undefined, cred);
    return cred.credProtect;
  } catch (err) {
    if (err instanceof Ctap2StatusError && err.status === CtapStatus.NO_CREDENTIALS) return CredProtect.Required;
    throw err;
  }
}
