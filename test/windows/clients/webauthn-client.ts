// Runs in Windows Node under Wine against the stand-in webauthn.dll in System32, through the app's
// own binding (native/webauthn-win), in this order: the failure HRESULTs given on the command line
// (hex; each answers an enroll and then a sign), the two ways the app cancels Windows' dialog (the
// bridge holds both calls), and requests that break webauthn.h's rules, built by the app's
// marshalling and then damaged one field at a time. Prints one JSON object per line.
import koffi from 'koffi';
import { randomBytes } from 'node:crypto';
import { CoseAlg } from '../../../native/ctap2/cose';
import type { UserInteraction } from '../../../native/interaction';
import { UserVerificationRequirement } from '../../../native/webauthn-win/constants';
import { bindWebAuthn, foregroundWindowFinder, loadWebAuthnDll } from '../../../native/webauthn-win/library';
import { encodeGetAssertion, encodeMakeCredential, type MakeCredentialRequest } from '../../../native/webauthn-win/marshal';
import { NativeArena } from '../../../native/webauthn-win/memory';
import { CLIENT_DATA, EXTENSION, MAKE_CREDENTIAL_OPTIONS, RP_ENTITY_INFORMATION, USER_ENTITY_INFORMATION } from '../../../native/webauthn-win/structs';
import { createWebAuthnWin } from '../../../native/webauthn-win/webauthn-win';

/** OpenSSH's enrollment challenge length (ssh-keygen: 32 random bytes). */
const CHALLENGE_BYTES = 32;
const ABORT_AFTER_MS = 200;

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

/** The bridge holds both calls: an AbortSignal ends the first, closing the app's prompt the second. */
async function cancels(): Promise<void> {
  let closePrompt: (() => void) | undefined;
  const interaction: UserInteraction = {
    selectKey: async () => null, pin: async () => null, confirm: async () => false,
    touch: (_context, cancel) => { closePrompt = cancel; return () => undefined; },
  };
  const win = createWebAuthnWin({ interaction });
  const abort = new AbortController();
  setTimeout(() => abort.abort(), ABORT_AFTER_MS);
  const aborted = await win.makeCredential({ alg: CoseAlg.EdDSA, rk: true, credProtect: 3, userId: randomBytes(32), challenge: randomBytes(CHALLENGE_BYTES), uv: true, signal: abort.signal })
    .then(() => ({ code: 'OK' }), outcome);
  report({ kind: 'cancel', by: 'signal', ...aborted });
  setTimeout(() => closePrompt?.(), ABORT_AFTER_MS);
  const closed = await win.getAssertion({ application: 'ssh:', keyHandle: randomBytes(64), data: Buffer.from('signed data'), uv: true, up: true, context: { purpose: 'sign in to leaf-02' } })
    .then(() => ({ code: 'OK' }), outcome);
  report({ kind: 'cancel', by: 'prompt', ...closed });
}

type Damage = (arena: NativeArena, req: ReturnType<typeof encodeMakeCredential>) => void;

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
  const arena = new NativeArena();
  try {
    const req = encodeGetAssertion(arena, { rpId: 'ssh:', clientData: Buffer.from('d'), allowCredentialIds: [randomBytes(64)], userVerification: 1, timeoutMs: 120_000, cancellationId: null });
    report({ kind: 'malformed', call: 'getAssertion', what: 'no window', hr: (await binding.getAssertion(null, req.rpId, req.clientData, req.options)).hr });
  } finally {
    arena.dispose();
  }
}

async function main(): Promise<void> {
  await mappings(process.argv.slice(2).map((h) => Number.parseInt(h, 16)));
  await cancels();
  await malformed();
  report({ kind: 'done' });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
