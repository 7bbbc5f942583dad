// Enroll and sign through Windows WebAuthn (webauthn.dll) for non-elevated Windows, where raw FIDO
// HID is blocked. Windows shows its own PIN and touch dialogs; we pass the raw OpenSSH challenge /
// data as "client data" with SHA-256, so clientDataHash is exactly what OpenSSH would have sent and
// the resulting key files and signatures are byte-compatible with the HID path.
import koffi from 'koffi';
import { CancelledError, type PromptContext, type UserInteraction } from '../interaction';
import { CoseAlg } from '../ctap2/cose';
import type { AssertionResult, ExpectedSigner } from '../ctap2/get-assertion';
import { CredProtect, type MakeCredentialResult } from '../ctap2/make-credential';
import {
  ApiVersion, HResult, OPERATION_TIMEOUT_MS, UserVerificationRequirement,
} from './constants';
import {
  WebAuthnApiTooOldError, WebAuthnResponseError, WebAuthnUnavailableError, WebAuthnUnsupportedRequestError,
  webAuthnFailure, type WebAuthnOperation,
} from './errors';
import { bindWebAuthn, foregroundWindowFinder, loadWebAuthnDll, type CallResult, type ForeignLibrary, type WebAuthnBinding } from './library';
import { decodeAssertion, decodeCredentialAttestation, encodeGetAssertion, encodeMakeCredential } from './marshal';
import { NativeArena } from './memory';
import { assertionFromWebAuthn, credentialFromAttestation } from './records';
import { GUID, type Address } from './structs';

/** Shown in the app's own prompt while Windows' dialog is up (the app never sees the PIN here). */
export const WINDOWS_SECURITY_NOTICE = 'Windows Security will ask for your PIN and touch';

const DEFAULT_APPLICATION = 'ssh:';
/** What OpenSSH puts into the user entity (sk-usbhid.c). */
const OPENSSH_USER_NAME = 'openssh';

/** Native window handle: Electron's getNativeWindowHandle() bytes (a Buffer, or a Uint8Array after IPC), or an HWND value. */
export type WindowHandle = Uint8Array | bigint;

export interface WebAuthnWinOptions {
  /** Loads webauthn.dll (default: koffi.load from System32). Tests inject a stand-in. */
  load?: () => ForeignLibrary;
  /**
   * Parent window for Windows' dialogs, asked for at each operation (Electron main owns it). Null
   * or absent (the CLI): the foreground window is used, as libfido2 does.
   */
  hwnd?: () => WindowHandle | null;
  /** Finds a parent window when `hwnd` gives none (default: user32 GetForegroundWindow). */
  fallbackWindow?: () => bigint | null;
  /** When set, a touch prompt naming Windows Security is shown while the dialog is up. */
  interaction?: UserInteraction;
}

export interface WinMakeCredentialOptions {
  alg: CoseAlg;
  /** Resident (discoverable) credential, OpenSSH -O resident. */
  rk: boolean;
  /** CTAP credProtect level to require (OpenSSH: 3 with verify-required, 2 resident only, else 0). */
  credProtect: number;
  userId: Buffer;
  /** OpenSSH's enrollment challenge (32 random bytes); Windows hashes it with SHA-256. */
  challenge: Buffer;
  /** User verification (PIN) required for this key. */
  uv: boolean;
  application?: string;
  context?: PromptContext;
  /** Aborting closes Windows' dialog, like the prompt's cancel. */
  signal?: AbortSignal;
}

export interface WinGetAssertionOptions {
  application: string;
  keyHandle: Buffer;
  /** The data OpenSSH signs; Windows hashes it with SHA-256 into clientDataHash. */
  data: Buffer;
  uv: boolean;
  up: boolean;
  /** The stored public key: the signature is verified with it before it is returned (as on HID). */
  signer?: ExpectedSigner;
  context?: PromptContext;
  signal?: AbortSignal;
}

export interface WebAuthnWin {
  readonly apiVersion: number;
  /** The HID path's record: the new credential with its attestation details. */
  makeCredential(opts: WinMakeCredentialOptions): Promise<MakeCredentialResult>;
  /** The HID path's record: the verified assertion plus the credential id. */
  getAssertion(opts: WinGetAssertionOptions): Promise<AssertionResult>;
  /** Closes Windows' dialog for the operation in flight (WebAuthNCancelCurrentOperation). */
  cancel(): void;
}

const HWND_BYTES_64 = 8;
const HWND_BYTES_32 = 4;

export function hwndValue(handle: WindowHandle): bigint {
  if (typeof handle === 'bigint') return handle;
  const bytes = Buffer.from(handle.buffer, handle.byteOffset, handle.byteLength);
  if (bytes.length === HWND_BYTES_64) return bytes.readBigUInt64LE(0);
  if (bytes.length === HWND_BYTES_32) return BigInt(bytes.readUInt32LE(0));
  throw new WebAuthnUnavailableError(`the window handle has ${bytes.length} bytes`);
}

/** libfido2 (winhello.c) rules: credProtect forces UV at enrollment; signing asks for UV only when the key needs it. */
function enrollUserVerification(opts: WinMakeCredentialOptions): number {
  return opts.uv || opts.credProtect > 0 ? UserVerificationRequirement.Required : UserVerificationRequirement.Discouraged;
}

function signUserVerification(uv: boolean): number {
  // DISCOURAGED, not PREFERRED: otherwise Windows asks for the PIN for keys that do not need it.
  return uv ? UserVerificationRequirement.Required : UserVerificationRequirement.Discouraged;
}

export function createWebAuthnWin(options: WebAuthnWinOptions): WebAuthnWin {
  const binding: WebAuthnBinding = bindWebAuthn((options.load ?? loadWebAuthnDll)());
  const apiVersion = binding.apiVersion();
  if (apiVersion < ApiVersion.V1) throw new WebAuthnUnavailableError(`webauthn.dll reports API version ${apiVersion}`);
  let fallbackWindow = options.fallbackWindow;

  function parentWindow(): bigint {
    const own = options.hwnd?.() ?? null;
    if (own !== null) return hwndValue(own);
    fallbackWindow ??= foregroundWindowFinder();
    const found = fallbackWindow();
    if (found === null) throw new WebAuthnUnavailableError('there is no window to attach the Windows Security dialog to');
    return found;
  }

  let queue: Promise<unknown> = Promise.resolve();
  let inFlight: Address = null;

  /** One Windows dialog at a time; each call gets its own arena and cancellation id. */
  function serialized<T>(run: () => Promise<T>): Promise<T> {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  }

  async function call<T>(
    operation: WebAuthnOperation,
    { context, signal }: { context?: PromptContext | undefined; signal?: AbortSignal | undefined },
    invoke: (arena: NativeArena, cancellationId: Address) => Promise<CallResult>,
    read: (result: bigint) => T,
    free: (result: bigint) => void,
  ): Promise<T> {
    if (signal?.aborted) throw new CancelledError(operation === 'enroll' ? 'Creating the SSH key' : 'Signing');
    const arena = new NativeArena();
    let touchDone: (() => void) | undefined;
    signal?.addEventListener('abort', cancel);
    try {
      const guid = arena.zeroed(koffi.sizeof(GUID));
      // Without an id the call still works; only cancel() becomes a no-op.
      const cancellationId = binding.getCancellationId(guid) === HResult.S_OK ? guid : null;
      inFlight = cancellationId;
      if (options.interaction && context) {
        touchDone = options.interaction.touch({ ...context, purpose: `${context.purpose}. ${WINDOWS_SECURITY_NOTICE}` }, cancel);
      }
      const { hr, result } = await invoke(arena, cancellationId);
      if (hr !== HResult.S_OK) {
        if (result !== null) free(result);
        throw webAuthnFailure(hr, binding.errorName(hr), operation);
      }
      if (result === null) throw new WebAuthnResponseError('success without a result');
      try {
        return read(result);
      } finally {
        free(result);
      }
    } finally {
      inFlight = null;
      signal?.removeEventListener('abort', cancel);
      touchDone?.();
      arena.dispose();
    }
  }

  function cancel(): void {
    if (inFlight !== null) binding.cancelCurrentOperation(inFlight);
  }

  return {
    apiVersion,
    cancel,
    makeCredential: (opts) => serialized(async () => {
      if (opts.alg !== CoseAlg.EdDSA && opts.alg !== CoseAlg.ES256) {
        throw new WebAuthnUnsupportedRequestError('WEBAUTHN_ALG_UNSUPPORTED', `COSE algorithm ${String(opts.alg)} is not an OpenSSH sk algorithm.`);
      }
      if (opts.credProtect > 0 && apiVersion < ApiVersion.V2) throw new WebAuthnApiTooOldError(apiVersion, ApiVersion.V2);
      if (opts.credProtect > CredProtect.Required) {
        throw new WebAuthnUnsupportedRequestError('WEBAUTHN_CRED_PROTECT_INVALID', `credProtect level ${opts.credProtect} does not exist.`);
      }
      const application = opts.application ?? DEFAULT_APPLICATION;
      const hwnd = parentWindow();
      return call('enroll', opts, (arena, cancellationId) => {
        const req = encodeMakeCredential(arena, {
          rpId: application,
          user: { id: opts.userId, name: OPENSSH_USER_NAME, displayName: OPENSSH_USER_NAME },
          alg: opts.alg,
          clientData: opts.challenge,
          residentKey: opts.rk,
          credProtect: opts.credProtect,
          userVerification: enrollUserVerification(opts),
          timeoutMs: OPERATION_TIMEOUT_MS,
          cancellationId,
        });
        return binding.makeCredential(hwnd, req.rp, req.user, req.pubKeyCredParams, req.clientData, req.options);
      }, (result) => credentialFromAttestation(decodeCredentialAttestation(result), {
        application, alg: opts.alg, userId: opts.userId, challenge: opts.challenge, credProtect: opts.credProtect, residentKey: opts.rk,
      }), (result) => binding.freeCredentialAttestation(result));
    }),
    getAssertion: (opts) => serialized(async () => {
      if (!opts.up) {
        throw new WebAuthnUnsupportedRequestError('WEBAUTHN_NO_TOUCH_UNSUPPORTED',
          'This SSH key was created with no-touch-required, but Windows always asks for a touch. ' +
          'Run the app as Administrator to use it, or create a key that requires touch.');
      }
      const hwnd = parentWindow();
      return call('sign', opts, (arena, cancellationId) => {
        const req = encodeGetAssertion(arena, {
          rpId: opts.application,
          clientData: opts.data,
          allowCredentialIds: [opts.keyHandle],
          userVerification: signUserVerification(opts.uv),
          timeoutMs: OPERATION_TIMEOUT_MS,
          cancellationId,
        });
        return binding.getAssertion(hwnd, req.rpId, req.clientData, req.options);
      }, (result) => assertionFromWebAuthn(decodeAssertion(result), {
        application: opts.application, keyHandle: opts.keyHandle, data: opts.data, uv: opts.uv,
        ...(opts.signer ? { signer: opts.signer } : {}),
      }), (result) => binding.freeAssertion(result));
    }),
  };
}

/** The Windows WebAuthn path if this machine has a usable webauthn.dll, else null (the transport-choice fact). */
export function tryCreateWebAuthnWin(options: WebAuthnWinOptions): WebAuthnWin | null {
  try {
    return createWebAuthnWin(options);
  } catch (err) {
    // Deliberate probe: no (or too old a) webauthn.dll only means this route is not on offer; the
    // raw-HID error then reaches the operator unchanged. Anything else is a real failure.
    if (err instanceof WebAuthnUnavailableError) return null;
    throw err;
  }
}
