// `ssh-keygen -K`: every resident `ssh:` credential on the key, as key-file handle records.
import { CredProtect } from '../ctap2/make-credential';
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
        const needsPinFlag = cred.credProtect === CredProtect.Required && !key.ctap.options.uv;
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
