// PIN → pinUvAuthToken, the way an operator expects: the retry count is read from the key and
// shown before asking, a wrong PIN is asked again by the person (never re-sent by the app), and a
// PIN kept for a multi-signature operation (a jump chain) lives only in the caller's cache.
import type { PinToken } from '../ctap2/pin-protocol';
import { CtapStatus, Ctap2StatusError } from '../ctap2/status';
import type { PromptContext, UserInteraction } from '../interaction';
import type { OpenKey } from './device';
import { CancelledError, KeyCapabilityError, PinNotSetError } from './errors';

/** Holds one PIN for the length of one operation (e.g. a connect's ConnectScope). */
export interface PinCache {
  pin(ask: () => Promise<string | null>): Promise<Buffer | null>;
  forgetPin(): void;
}

/** A wrong PIN costs a retry on the key; eight prompts is more than any key allows before blocking. */
const MAX_PIN_PROMPTS = 8;

export function requirePinSupport(key: OpenKey): void {
  const clientPin = key.ctap.options.clientPin;
  if (clientPin === undefined) {
    throw new KeyCapabilityError('This security key has no PIN support, so it cannot verify you (verify-required). Use a FIDO2 key with a PIN.');
  }
  if (clientPin === false) throw new PinNotSetError();
}

export interface TokenRequest {
  /** CTAP 2.1 permission bits; ignored by keys without pinUvAuthToken (they get the legacy token). */
  permissions: number;
  rpId?: string;
  cache?: PinCache;
}

export async function acquirePinToken(key: OpenKey, interaction: UserInteraction, context: PromptContext, req: TokenRequest): Promise<PinToken> {
  requirePinSupport(key);
  const withPermissions = key.ctap.options.pinUvAuthToken === true;
  let previousWrong = false;
  for (let attempt = 0; attempt < MAX_PIN_PROMPTS; attempt++) {
    const { retries } = await key.client.getPinRetries();
    if (retries === 0) throw new Ctap2StatusError(CtapStatus.PIN_BLOCKED);
    const ask = () => interaction.pin({ context, retriesLeft: retries, previousWrong });
    let pin: Buffer | null;
    if (req.cache) {
      pin = await req.cache.pin(ask);
    } else {
      const typed = await ask();
      pin = typed === null ? null : Buffer.from(typed, 'utf8');
    }
    if (pin === null) throw new CancelledError('PIN entry');
    try {
      return await key.client.getPinToken(
        pin.toString('utf8'),
        withPermissions ? { permissions: req.permissions, ...(req.rpId !== undefined ? { rpId: req.rpId } : {}) } : {},
      );
    } catch (err) {
      if (err instanceof Ctap2StatusError && err.status === CtapStatus.PIN_INVALID) {
        req.cache?.forgetPin();
        previousWrong = true;
        continue;
      }
      throw err;
    } finally {
      if (!req.cache) pin.fill(0);
    }
  }
  throw new Ctap2StatusError(CtapStatus.PIN_AUTH_BLOCKED);
}
