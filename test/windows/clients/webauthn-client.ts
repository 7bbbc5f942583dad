// Runs in Windows Node under Wine against the stand-in webauthn.dll in System32, through the app's
// own binding (native/webauthn-win), in this order: the failure HRESULTs given on the command line
// (hex; each answers an enroll and then a sign), the two ways the app cancels Windows' dialog (the
// bridge holds both calls), and requests that break webauthn.h's rules, built by the app's
// marshalling and then damaged one field at a time; last a working enroll and sign, after which the
// DLL must hold no result the app did not give back. Prints one JSON object per line.
import koffi from 'koffi';
import { randomBytes } from 'node:crypto';
import { CoseAlg } from '../../../native/ctap2/cose';
import type { UserInteraction } from '../../../native/interaction';
import { UserVerificationRequirement } from '../../../native/webauthn-win/constants';
import { bindWebAuthn, foregroundWindowFinder, loadWebAuthnDll, webAuthnDllPath } from '../../../native/webauthn-win/library';
import { encodeGetAssertion, encodeMakeCredential, type MakeCredentialRequest } from '../../../native/webauthn-win/marshal';
import { NativeArena } from '../../../native/webauthn-win/memory';
import {
  CLIENT_DATA, CREDENTIAL, EXTENSION, GET_ASSERTION_OPTIONS, MAKE_CREDENTIAL_OPTIONS, RP_ENTITY_INFORMATION, USER_ENTITY_INFORMATION,
} from '../../../native/webauthn-win/structs';
import { createWebAuthnWin } from '../../../native/webauthn-win/webauthn-win';

/** OpenSSH's enrollment challenge length (ssh-keygen: 32 random bytes). */
const CHALLENGE_BYTES = 32;
/** Lets the request reach the bridge first; a cancel that comes earlier still ends the call (the DLL keeps cancelled ids). */
const CANCEL_AFTER_MS = 200;

function report(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function outcome(err: unknown): { code?: string; hresult?: number; message?: string } {
  const e = err as { code?: string; hresult?: number; message?: string };
  return { ...(e.code ? { code: e.code } : {}), ...(e.hresult !== undefined ? { hresult: e.hresult } : {}), ...(e.message ? { message: e.message } : {}) };
}

/** Each HRESULT the bridge answers with, for an enroll and then a sign. */
async function mappings(hresults: number[]): Promise<void> {
  const win = createWebAuthnWin({});
  for (const hr of hresults) {
    const enroll = await win.makeCredential({ alg: CoseAlg.EdDSA, rk: true, credProtect: 3, userId: randomBytes(32), challenge: randomBytes(CHALLENGE_BYTES), uv: true })
      .then(() => ({ code: 'OK' }), outcome);
    const sign = await win.getAssertion({ application: 'ssh:', keyHandle: randomBytes(64), data: Buffer.from('signed data'), uv: true, up: true })
      .then(() => ({ code: 'OK' }), outcome);
    report({ kind: 'mapping', hr, enroll, sign });
  }
}

/**
 * The bridge holds both calls: an AbortSignal ends the first, closing the app's prompt the second.
 * Each cancel comes from the touch prompt the call opens, so it always finds the call in flight.
 */
async function cancels(): Promise<void> {
  const abort = new AbortController();
  let cancelBy: 'signal' | 'prompt' = 'signal';
  const interaction: UserInteraction = {
    selectKey: async () => null, pin: async () => null, confirm: async () => false,
    touch: (_context, cancel) => {
      setTimeout(cancelBy === 'signal' ? () => abort.abort() : cancel, CANCEL_AFTER_MS);
      return () => undefined;
    },
  };
  const win = createWebAuthnWin({ interaction });
  const context = { purpose: 'sign in to leaf-02' };
  const aborted = await win.makeCredential({
    alg: CoseAlg.EdDSA, rk: true, credProtect: 3, userId: randomBytes(32), challenge: randomBytes(CHALLENGE_BYTES), uv: true, signal: abort.signal, context,
  }).then(() => ({ code: 'OK' }), outcome);
  report({ kind: 'cancel', by: 'signal', ...aborted });
  cancelBy = 'prompt';
  const closed = await win.getAssertion({ application: 'ssh:', keyHandle: randomBytes(64), data: Buffer.from('signed data'), uv: true, up: true, context })
    .then(() => ({ code: 'OK' }), outcome);
  report({ kind: 'cancel', by: 'prompt', ...closed });
}

type Damage = (arena: NativeArena, req: ReturnType<typeof encodeMakeCredential>) => void;
/** A NULL pointer argument (koffi passes address 0 as NULL). */
const NULL_POINTER = 0n;
type AssertionDamage = (arena: NativeArena, req: ReturnType<typeof encodeGetAssertion>) => { rpId?: bigint; hwnd?: null } | undefined;

const u32At = (address: bigint, offset: number, value: number) => koffi.encode(address, offset, 'uint32_t', value);
const ptrAt = (address: bigint, offset: number, value: bigint | null) => koffi.encode(address, offset, 'void *', value);

/** One field broken per case; 'intact' is the control that must reach the authenticator. */
const MAKE_CREDENTIAL_DAMAGE: Record<string, Damage> = {
  'intact': () => undefined,
  'rp version 2': (_a, r) => u32At(r.rp, koffi.offsetof(RP_ENTITY_INFORMATION, 'dwVersion'), 2),
  'user version 0': (_a, r) => u32At(r.user, koffi.offsetof(USER_ENTITY_INFORMATION, 'dwVersion'), 0),
  'user id of 65 bytes': (a, r) => {
    u32At(r.user, koffi.offsetof(USER_ENTITY_INFORMATION, 'cbId'), 65);
    ptrAt(r.user, koffi.offsetof(USER_ENTITY_INFORMATION, 'pbId'), a.bytes(randomBytes(65)));
  },
  'rp id with a lone surrogate': (a, r) => ptrAt(r.rp, koffi.offsetof(RP_ENTITY_INFORMATION, 'pwszId'), a.wideString('ssh:\ud800')),
  'empty rp id': (a, r) => ptrAt(r.rp, koffi.offsetof(RP_ENTITY_INFORMATION, 'pwszId'), a.wideString('')),
  'user name missing': (_a, r) => ptrAt(r.user, koffi.offsetof(USER_ENTITY_INFORMATION, 'pwszName'), null),
  'hash algorithm SHA-1': (a, r) => ptrAt(r.clientData, koffi.offsetof(CLIENT_DATA, 'pwszHashAlgId'), a.wideString('SHA-1')),
  'client data version 2': (_a, r) => u32At(r.clientData, koffi.offsetof(CLIENT_DATA, 'dwVersion'), 2),
  'client data length 0': (_a, r) => u32At(r.clientData, koffi.offsetof(CLIENT_DATA, 'cbClientDataJSON'), 0),
  'options version 3': (_a, r) => u32At(r.options, koffi.offsetof(MAKE_CREDENTIAL_OPTIONS, 'dwVersion'), 3),
  'credProtect input of 4 bytes': (_a, r) => {
    const extensions = koffi.decode(r.options, koffi.offsetof(MAKE_CREDENTIAL_OPTIONS, 'Extensions') + 8, 'void *') as bigint;
    u32At(extensions, koffi.offsetof(EXTENSION, 'cbExtension'), 4);
  },
};

/** The first credential of a list header at `offset` in `options`. */
const firstCredential = (options: bigint, offset: number): bigint => koffi.decode(options, offset + 8, 'void *') as bigint;

const GET_ASSERTION_DAMAGE: Record<string, AssertionDamage> = {
  'no window': () => ({ hwnd: null }),
  'rp id missing': () => ({ rpId: NULL_POINTER }),
  'options version 4': (_a, r) => { u32At(r.options, koffi.offsetof(GET_ASSERTION_OPTIONS, 'dwVersion'), 4); return undefined; },
  'credential type private-key': (a, r) => {
    ptrAt(firstCredential(r.options, koffi.offsetof(GET_ASSERTION_OPTIONS, 'CredentialList')), koffi.offsetof(CREDENTIAL, 'pwszCredentialType'), a.wideString('private-key'));
    return undefined;
  },
  'credential id of 0 bytes': (_a, r) => {
    u32At(firstCredential(r.options, koffi.offsetof(GET_ASSERTION_OPTIONS, 'CredentialList')), koffi.offsetof(CREDENTIAL, 'cbId'), 0);
    return undefined;
  },
};

/** The app's own requests, damaged one field at a time; the DLL must refuse each before asking the key. */
async function malformed(): Promise<void> {
  const binding = bindWebAuthn(loadWebAuthnDll());
  const hwnd = foregroundWindowFinder()() ?? 0n;
  const request: Omit<MakeCredentialRequest, 'cancellationId'> = {
    rpId: 'ssh:', user: { id: randomBytes(32), name: 'openssh', displayName: 'openssh' }, alg: CoseAlg.EdDSA,
    clientData: randomBytes(CHALLENGE_BYTES), residentKey: true, credProtect: 3,
    userVerification: UserVerificationRequirement.Required, timeoutMs: 120_000,
  };
  for (const [what, damage] of Object.entries(MAKE_CREDENTIAL_DAMAGE)) {
    const arena = new NativeArena();
    try {
      const req = encodeMakeCredential(arena, { ...request, cancellationId: null });
      damage(arena, req);
      const { hr, result } = await binding.makeCredential(hwnd, req.rp, req.user, req.pubKeyCredParams, req.clientData, req.options);
      if (result !== null) binding.freeCredentialAttestation(result);
      report({ kind: 'malformed', call: 'makeCredential', what, hr });
    } finally {
      arena.dispose();
    }
  }
  for (const [what, damage] of Object.entries(GET_ASSERTION_DAMAGE)) {
    const arena = new NativeArena();
    try {
      const req = encodeGetAssertion(arena, {
        rpId: 'ssh:', clientData: Buffer.from('signed data'), allowCredentialIds: [randomBytes(64)],
        userVerification: UserVerificationRequirement.Required, timeoutMs: 120_000, cancellationId: null,
      });
      const over = damage(arena, req) ?? {};
      const { hr, result } = await binding.getAssertion('hwnd' in over ? null : hwnd, over.rpId ?? req.rpId, req.clientData, req.options);
      if (result !== null) binding.freeAssertion(result);
      report({ kind: 'malformed', call: 'getAssertion', what, hr });
    } finally {
      arena.dispose();
    }
  }
}

/** A working enroll and sign through the app's path, then the DLL's count of results not given back. */
async function roundTrip(): Promise<void> {
  const win = createWebAuthnWin({});
  const made = await win.makeCredential({ alg: CoseAlg.ES256, rk: false, credProtect: 0, userId: randomBytes(32), challenge: randomBytes(CHALLENGE_BYTES), uv: false });
  const signed = await win.getAssertion({ application: 'ssh:', keyHandle: made.credentialId, data: Buffer.from('signed data'), uv: false, up: true });
  const counts = koffi.load(webAuthnDllPath()).func('void __stdcall StandInResultCounts(_Out_ int32_t *outstanding, _Out_ int32_t *wrongFrees)');
  const outstanding = [0];
  const wrongFrees = [0];
  counts(outstanding, wrongFrees);
  report({ kind: 'round-trip', flags: signed.flags, outstanding: outstanding[0], wrongFrees: wrongFrees[0] });
}

async function main(): Promise<void> {
  await mappings(process.argv.slice(2).map((h) => Number.parseInt(h, 16)));
  await cancels();
  await malformed();
  await roundTrip();
  report({ kind: 'done' });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
