// The webauthn.dll entry points, declared once as C prototypes and bound to a koffi library
// handle. The handle is injected so tests hand in a stand-in that receives exactly the arguments
// webauthn.dll would (addresses of the structures marshal.ts built) and answers in its memory form.
import koffi from 'koffi';
import { system32Path } from '../util/system32';
import { WEBAUTHN_DLL } from './constants';
import { WebAuthnUnavailableError } from './errors';
import type { Address } from './structs';

/** What koffi's lib.func() returns, reduced to what we use. */
export interface ForeignFunction {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}

/** koffi's LibraryHandle, reduced to what we use (so a test stand-in can implement it). */
export interface ForeignLibrary {
  func(definition: string): ForeignFunction;
}

/**
 * webauthn.h signatures with every struct pointer as `void *` (we pass our own addresses). HRESULT
 * is a 32-bit LONG; HWND a pointer. __stdcall is what WINAPI means; koffi ignores it on x64.
 */
export const PROTOTYPES = {
  getApiVersionNumber: 'uint32_t __stdcall WebAuthNGetApiVersionNumber()',
  makeCredential: 'int32_t __stdcall WebAuthNAuthenticatorMakeCredential(void *hWnd, void *pRpInformation, ' +
    'void *pUserInformation, void *pPubKeyCredParams, void *pWebAuthNClientData, void *pWebAuthNMakeCredentialOptions, ' +
    '_Out_ void **ppWebAuthNCredentialAttestation)',
  getAssertion: 'int32_t __stdcall WebAuthNAuthenticatorGetAssertion(void *hWnd, void *pwszRpId, void *pWebAuthNClientData, ' +
    'void *pWebAuthNGetAssertionOptions, _Out_ void **ppWebAuthNAssertion)',
  freeCredentialAttestation: 'void __stdcall WebAuthNFreeCredentialAttestation(void *pWebAuthNCredentialAttestation)',
  freeAssertion: 'void __stdcall WebAuthNFreeAssertion(void *pWebAuthNAssertion)',
  getCancellationId: 'int32_t __stdcall WebAuthNGetCancellationId(void *pCancellationId)',
  cancelCurrentOperation: 'int32_t __stdcall WebAuthNCancelCurrentOperation(void *pCancellationId)',
  getErrorName: 'const char16_t * __stdcall WebAuthNGetErrorName(int32_t hr)',
} as const;

export interface CallResult {
  /** Unsigned HRESULT (0 = S_OK). */
  hr: number;
  /** The structure Windows allocated (free it with the matching free function), or null. */
  result: Address;
}

/** Typed access to webauthn.dll. HRESULTs come back unsigned, e.g. 0x800704c7. */
export interface WebAuthnBinding {
  apiVersion(): number;
  makeCredential(hwnd: Address, rp: bigint, user: bigint, params: bigint, clientData: bigint, options: bigint): Promise<CallResult>;
  getAssertion(hwnd: Address, rpId: bigint, clientData: bigint, options: bigint): Promise<CallResult>;
  freeCredentialAttestation(attestation: bigint): void;
  freeAssertion(assertion: bigint): void;
  getCancellationId(guid: bigint): number;
  cancelCurrentOperation(guid: bigint): number;
  errorName(hr: number): string;
}

/** Full System32 path (see system32Path: no DLL planting). */
export function webAuthnDllPath(env: NodeJS.ProcessEnv = process.env): string {
  return system32Path(WEBAUTHN_DLL, env);
}

/** Loads webauthn.dll from System32 through koffi; only meaningful on Windows. */
export function loadWebAuthnDll(): ForeignLibrary {
  if (process.platform !== 'win32') throw new WebAuthnUnavailableError(`this is ${process.platform}, not Windows`);
  try {
    return koffi.load(webAuthnDllPath());
  } catch (err) {
    throw new WebAuthnUnavailableError('webauthn.dll could not be loaded', { cause: err });
  }
}

const USER32_DLL = 'user32.dll';

/**
 * A parent window when the app has none of its own (the `nbg` CLI in a console): the foreground
 * window, else the top-level window at the top of the Z order — what libfido2 does for webauthn.dll.
 */
export function foregroundWindowFinder(env: NodeJS.ProcessEnv = process.env): () => bigint | null {
  if (process.platform !== 'win32') return () => null;
  const user32 = koffi.load(system32Path(USER32_DLL, env));
  const getForegroundWindow = user32.func('void * __stdcall GetForegroundWindow()');
  const getTopWindow = user32.func('void * __stdcall GetTopWindow(void *hWnd)');
  return () => (getForegroundWindow() as bigint | null) ?? (getTopWindow(null) as bigint | null);
}

function declare(lib: ForeignLibrary, prototype: string): ForeignFunction {
  try {
    return lib.func(prototype);
  } catch (err) {
    const name = /(WebAuthN\w+)\(/.exec(prototype)?.[1] ?? prototype;
    throw new WebAuthnUnavailableError(`webauthn.dll has no ${name}`, { cause: err });
  }
}

/** Runs a blocking Windows call on koffi's worker thread so the app stays responsive (and can cancel). */
function callAsync(fn: ForeignFunction, args: unknown[]): Promise<CallResult> {
  const out: Address[] = [null];
  return new Promise((resolve, reject) => {
    fn.async(...args, out, (err: unknown, hr: number) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve({ hr: hr >>> 0, result: out[0] ?? null });
    });
  });
}

export function bindWebAuthn(lib: ForeignLibrary): WebAuthnBinding {
  const fns = {
    getApiVersionNumber: declare(lib, PROTOTYPES.getApiVersionNumber),
    makeCredential: declare(lib, PROTOTYPES.makeCredential),
    getAssertion: declare(lib, PROTOTYPES.getAssertion),
    freeCredentialAttestation: declare(lib, PROTOTYPES.freeCredentialAttestation),
    freeAssertion: declare(lib, PROTOTYPES.freeAssertion),
    getCancellationId: declare(lib, PROTOTYPES.getCancellationId),
    cancelCurrentOperation: declare(lib, PROTOTYPES.cancelCurrentOperation),
    getErrorName: declare(lib, PROTOTYPES.getErrorName),
  };
  return {
    apiVersion: () => fns.getApiVersionNumber() as number,
    makeCredential: (hwnd, rp, user, params, clientData, options) =>
      callAsync(fns.makeCredential, [hwnd, rp, user, params, clientData, options]),
    getAssertion: (hwnd, rpId, clientData, options) => callAsync(fns.getAssertion, [hwnd, rpId, clientData, options]),
    freeCredentialAttestation: (attestation) => { fns.freeCredentialAttestation(attestation); },
    freeAssertion: (assertion) => { fns.freeAssertion(assertion); },
    getCancellationId: (guid) => (fns.getCancellationId(guid) as number) >>> 0,
    cancelCurrentOperation: (guid) => (fns.cancelCurrentOperation(guid) as number) >>> 0,
    // The name is a static string inside webauthn.dll: koffi copies it, nothing to free.
    errorName: (hr) => (fns.getErrorName(hr | 0) as string | null) ?? 'UnknownError',
  };
}
