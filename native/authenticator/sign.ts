// What ssh-agent + ssh-sk-helper do for one signature: getAssertion over raw HID (asking for the
// PIN when the key needs it) or webauthn.dll, the reply verified before it becomes an SSH signature.
import { requireUserVerified, type Assertion } from '../ctap2/get-assertion';
import { PinPermission, type PinToken } from '../ctap2/pin-protocol';
import { CtapStatus, Ctap2StatusError } from '../ctap2/status';
import { sha256 } from '../ctap2/verify';
import type { PromptContext, UserInteraction } from '../interaction';
import { buildSkSignatureBlob } from '../sk/signature';
import { SkFlag, type SkAssertion, type SkKeyHandle } from '../sk/types';
import { touchAware, type OpenKey } from './device';
import { NotOnThisKeyError } from './errors';
import { acquirePinToken, type PinCache } from './pin';
import type { Route } from './route';
import { expectedSigner, skAssertion } from './ssh-records';

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

/** Both transports for one signature of `data` with the key file `handle`. */
export function signRoute(handle: SkKeyHandle, data: Buffer, options: SignOptions, interaction: UserInteraction): Route<SignResult> {
  const needUv = (handle.flags & SkFlag.UserVerificationRequired) !== 0;
  const needUp = (handle.flags & SkFlag.UserPresenceRequired) !== 0;
  const signer = expectedSigner(handle);
  const finish = (assertion: Assertion): SignResult => {
    if (needUv) requireUserVerified(assertion);
    const ssh = skAssertion(assertion);
    return { signature: buildSkSignatureBlob(handle.type, ssh), flags: ssh.flags, counter: ssh.counter, assertion: ssh };
  };
  return {
    windows: async (win) => finish(await win.getAssertion({
      application: handle.application, keyHandle: handle.keyHandle, data, uv: needUv, up: needUp, signer,
      context: options.context, ...(options.signal ? { signal: options.signal } : {}),
    })),
    hid: async (key) => {
      const request = { rpId: handle.application, clientDataHash: sha256(data), allowList: [handle.keyHandle], userPresence: needUp };
      const tokenFor = () => acquirePinToken(key, interaction, options.context, {
        permissions: PinPermission.GA, rpId: handle.application, ...(options.pinCache ? { cache: options.pinCache } : {}),
      });
      let token: PinToken | undefined = needUv ? await tokenFor() : undefined;
      try {
        const assertOnce = async () => {
          const touch = touchAware(interaction, options.context, options.signal);
          try {
            return await key.client.getAssertion(request, token, signer, touch.opts);
          } finally {
            touch.done();
          }
        };
        let assertion: Assertion;
        try {
          assertion = await assertOnce();
        } catch (err) {
          // A credProtect-3 credential hides without UV and some keys demand a PIN outright: ask once, like OpenSSH.
          if (!pinMayHelp(err, key, token)) throw translateNoCredentials(err);
          token = await tokenFor();
          assertion = await assertOnce().catch((e: unknown) => { throw translateNoCredentials(e); });
        }
        return finish(assertion);
      } finally {
        token?.wipe();
      }
    },
  };
}

function pinMayHelp(err: unknown, key: OpenKey, token: PinToken | undefined): boolean {
  return err instanceof Ctap2StatusError && !token && key.ctap.options.clientPin === true
    && (err.status === CtapStatus.PIN_REQUIRED || err.status === CtapStatus.NO_CREDENTIALS);
}

/** With the credential named in the allowList, "no credentials" means another key is plugged in. */
function translateNoCredentials(err: unknown): unknown {
  return err instanceof Ctap2StatusError && err.status === CtapStatus.NO_CREDENTIALS ? new NotOnThisKeyError() : err;
}
