// The software authenticator behind the stand-in webauthn.dll (standin-dll/webauthn.c): the DLL
// checks the structures the app hands it and forwards what it read here over loopback; the
// answers are what a FIDO2 key behind Windows would give, computed with SoftSk
// (soft-webauthn-key.ts). A queued outcome makes the next call end the way Windows can end it:
// with a failure HRESULT (the operator closed the dialog, a timeout, ...) or held open until the
// app cancels it.
import net from 'node:net';
import { CoseAlg } from '../../../native/ctap2/cose';
import { SkKeyType } from '../../../native/sk/types';
import { HResult, UserVerificationRequirement } from '../../../native/webauthn-win/constants';
import { SoftSk } from '../soft-sk';
import { assertionResult, makeCredentialResult } from './soft-webauthn-key';

/** Message kinds (the first byte of a request). */
const Op = { MakeCredential: 1, GetAssertion: 2 } as const;
/** Length the DLL sends for an absent optional string. */
const ABSENT = 0xffffffff;
const LENGTH_BYTES = 4;
const MAX_MESSAGE = 1 << 20;

interface CredProtectInput { level: number; require: boolean }

/** A MakeCredential call as the DLL read it from the app's structures. */
export interface BridgeMakeCredential {
  op: 'makeCredential';
  /** hWnd named a window (IsWindow). */
  window: boolean;
  rpId: string;
  rpName: string | null;
  userId: Buffer;
  userName: string;
  userDisplayName: string;
  algs: number[];
  clientData: Buffer;
  optionsVersion: number;
  timeoutMs: number;
  exclude: Buffer[];
  credProtect: CredProtectInput[];
  attachment: number;
  residentKey: boolean;
  uv: number;
  attestation: number;
  flags: number;
  cancellable: boolean;
}

/** A GetAssertion call as the DLL read it. */
export interface BridgeGetAssertion {
  op: 'getAssertion';
  window: boolean;
  rpId: string;
  clientData: Buffer;
  optionsVersion: number;
  timeoutMs: number;
  allow: Buffer[];
  credProtect: CredProtectInput[];
  attachment: number;
  uv: number;
  flags: number;
  u2fAppId: string | null;
  cancellable: boolean;
}

export type BridgeCall = BridgeMakeCredential | BridgeGetAssertion;

/** How the next call ends instead of working: a failure HRESULT, or no answer until the app cancels. */
export type BridgeOutcome = { hr: number } | 'hold';

export interface WebAuthnBridge {
  port: number;
  calls: BridgeCall[];
  keys: SoftSk[];
  /** Outcomes for the next calls, in order; empty: calls work. */
  outcomes: BridgeOutcome[];
  /** Calls held open whose connection the DLL closed (it does so when the app cancels). */
  abandoned: BridgeCall[];
  close(): Promise<void>;
}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  u8(): number { return this.buf.readUInt8(this.at++); }
  u32(): number { const v = this.buf.readUInt32BE(this.at); this.at += LENGTH_BYTES; return v; }
  bytes(): Buffer { const n = this.u32(); const v = Buffer.from(this.buf.subarray(this.at, this.at + n)); this.at += n; return v; }
  text(): string { return this.bytes().toString('utf8'); }
  optionalText(): string | null {
    if (this.buf.readUInt32BE(this.at) === ABSENT) { this.at += LENGTH_BYTES; return null; }
    return this.text();
  }
  list<T>(read: () => T): T[] { return Array.from({ length: this.u32() }, read); }
  end(): void { if (this.at !== this.buf.length) throw new Error(`${this.buf.length - this.at} bytes left in the DLL's message`); }
}

function readCredProtect(r: Reader): CredProtectInput[] {
  return r.list(() => ({ level: r.u32(), require: r.u32() === 1 }));
}

function readMakeCredential(r: Reader): BridgeMakeCredential {
  const call: BridgeMakeCredential = {
    op: 'makeCredential', window: r.u32() === 1, rpId: r.text(), rpName: r.optionalText(), userId: r.bytes(), userName: r.text(),
    userDisplayName: r.text(), algs: r.list(() => r.u32() | 0), clientData: r.bytes(), optionsVersion: r.u32(), timeoutMs: r.u32(),
    exclude: r.list(() => r.bytes()), credProtect: readCredProtect(r), attachment: r.u32(), residentKey: r.u32() === 1, uv: r.u32(),
    attestation: r.u32(), flags: r.u32(), cancellable: r.u32() === 1,
  };
  r.end();
  return call;
}

function readGetAssertion(r: Reader): BridgeGetAssertion {
  const call: BridgeGetAssertion = {
    op: 'getAssertion', window: r.u32() === 1, rpId: r.text(), clientData: r.bytes(), optionsVersion: r.u32(), timeoutMs: r.u32(),
    allow: r.list(() => r.bytes()), credProtect: readCredProtect(r), attachment: r.u32(), uv: r.u32(), flags: r.u32(),
    u2fAppId: r.optionalText(), cancellable: r.u32() === 1,
  };
  r.end();
  return call;
}

const u32 = (n: number): Buffer => { const b = Buffer.alloc(LENGTH_BYTES); b.writeUInt32BE(n >>> 0); return b; };
const field = (b: Buffer): Buffer => Buffer.concat([u32(b.length), b]);

function makeCredential(bridge: WebAuthnBridge, call: BridgeMakeCredential): Buffer {
  const alg = call.algs[0];
  if (alg !== CoseAlg.EdDSA && alg !== CoseAlg.ES256) return u32(HResult.NTE_NOT_SUPPORTED);
  const soft = new SoftSk({ type: alg === CoseAlg.EdDSA ? SkKeyType.Ed25519 : SkKeyType.EcdsaP256, application: call.rpId });
  bridge.keys.push(soft);
  const credProtect = call.credProtect[0]?.level ?? 0;
  const made = makeCredentialResult(soft, { credProtect, uv: call.uv === UserVerificationRequirement.Required });
  return Buffer.concat([u32(HResult.S_OK), field(Buffer.from(made.formatType)), field(made.authenticatorData),
    field(made.attestationStatement), field(made.attestationObject), field(made.credentialId), u32(credProtect)]);
}

function getAssertion(bridge: WebAuthnBridge, call: BridgeGetAssertion): Buffer {
  const soft = bridge.keys.find((k) => k.publicKey.application === call.rpId && call.allow.some((id) => id.equals(k.handle.keyHandle)));
  if (!soft) return u32(HResult.NTE_NOT_FOUND);
  const a = assertionResult(soft, call.clientData, call.uv === UserVerificationRequirement.Required);
  return Buffer.concat([u32(HResult.S_OK), field(a.authenticatorData), field(a.signature), field(a.credentialId), field(a.userId)]);
}

export async function startWebAuthnBridge(): Promise<WebAuthnBridge> {
  const server = net.createServer();
  const open = new Set<net.Socket>();
  const bridge: WebAuthnBridge = {
    port: 0, calls: [], keys: [], outcomes: [], abandoned: [],
    close: () => new Promise<void>((resolve) => {
      for (const sock of open) sock.destroy();
      server.close(() => resolve());
    }),
  };
  server.on('connection', (sock) => {
    open.add(sock);
    sock.once('close', () => open.delete(sock));
    let pending = Buffer.alloc(0);
    sock.on('error', () => sock.destroy());
    sock.on('data', (d: Buffer) => {
      pending = Buffer.concat([pending, d]);
      if (pending.length < LENGTH_BYTES) return;
      const length = pending.readUInt32BE(0);
      if (length > MAX_MESSAGE) { sock.destroy(); return; }
      if (pending.length < LENGTH_BYTES + length) return;
      const r = new Reader(pending.subarray(LENGTH_BYTES, LENGTH_BYTES + length));
      const op = r.u8();
      const call = op === Op.MakeCredential ? readMakeCredential(r) : op === Op.GetAssertion ? readGetAssertion(r) : null;
      if (!call) { sock.destroy(); return; }
      bridge.calls.push(call);
      const outcome = bridge.outcomes.shift();
      if (outcome === 'hold') {
        sock.once('close', () => bridge.abandoned.push(call));
        return;
      }
      const reply = outcome ? u32(outcome.hr) : call.op === 'makeCredential' ? makeCredential(bridge, call) : getAssertion(bridge, call);
      sock.end(Buffer.concat([u32(reply.length), reply]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  bridge.port = (server.address() as net.AddressInfo).port;
  return bridge;
}
