import { createHash } from 'node:crypto';
import { CtapHidChannel } from '../../native/ctaphid/channel';
import { MessageAssembler, fragmentMessage, parsePacket } from '../../native/ctaphid/framing';
import { parseAuthData } from '../../native/ctap2/authdata';
import { type CborValue, decodeCbor, encodeCbor } from '../../native/ctap2/cbor';
import { parseCtap2Reply } from '../../native/ctap2/client';
import { parseKeyAgreementReply, parsePinRetries, parseTokenReply } from '../../native/ctap2/client-pin-replies';
import { CoseAlg, credentialPublicKey } from '../../native/ctap2/cose';
import { parseCredentialEntry, parseCredsMetadata, parseRpEntry } from '../../native/ctap2/cred-mgmt';
import { parseGetAssertionResponse } from '../../native/ctap2/get-assertion';
import { credMgmtCommand, parseGetInfo, preferredPinProtocol } from '../../native/ctap2/getinfo';
import { parseMakeCredentialResponse } from '../../native/ctap2/make-credential';
import { pinProtocolV1, pinProtocolV2 } from '../../native/ctap2/pin-protocol';
import { NbgError } from '../../native/errors';
import { buildGetAssertionParams } from '../../native/ctap2/get-assertion';
import { buildMakeCredentialParams } from '../../native/ctap2/make-credential';
import { SoftAuthenticator } from '../../native/simulator/authenticator';
import { simEncode } from '../../native/simulator/sim-cbor';
import { ScriptedConnection } from '../support/scripted-connection';
import { Prng, mutateBytes } from './prng';
import { CDH, CRED_ID, ED_PUBLIC, RP_ID, makeCredentialAuthData, seedReplies } from './seeds';

export interface FuzzFailure {
  target: string;
  caseIndex: number;
  input: string;
  error: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  byTarget: Record<string, { cases: number; accepted: number; rejected: number }>;
  /** How often each NbgError code ended a case: shows the fuzzer reaches deep checks, not just the first. */
  errorCodes: Record<string, number>;
  /** The first few failures in full; `failureCount` counts them all. */
  failures: FuzzFailure[];
  failureCount: number;
  maxCaseMs: number;
  elapsedMs: number;
}

/** A case longer than this counts as a hang (the channel's own timeouts are far shorter here). */
const HANG_MS = 2_000;
const MAX_KEPT_FAILURES = 20;
const CID = '2133e1b9';
const NONCE = Buffer.from('5e88cd781dc86fe4', 'hex');
const INIT_REPLY = Buffer.from('ffffffff860011' + '5e88cd781dc86fe4' + CID + '0205040305', 'hex');

type SyncTarget = (input: Buffer) => void;

const SEEDS = seedReplies();
const MC_REQ = { clientDataHash: CDH, rpId: RP_ID, user: { id: Buffer.alloc(32) }, alg: -8 as const, credProtect: 3 as const, residentKey: true };
const ED_SIGNER = { alg: CoseAlg.EdDSA, publicKey: ED_PUBLIC };

/** Every response parser, each fed status byte || CBOR as it would come off the channel. */
const CBOR_TARGETS: Record<string, { seed: Buffer; run: SyncTarget }> = {
  getInfo: { seed: SEEDS.getInfo as Buffer, run: (b) => {
    const info = parseGetInfo(parseCtap2Reply(b));
    preferredPinProtocol(info);
    credMgmtCommand(info);
  } },
  makeCredential: { seed: SEEDS.makeCredential as Buffer, run: (b) => void parseMakeCredentialResponse(parseCtap2Reply(b), MC_REQ) },
  getAssertion: { seed: SEEDS.getAssertion as Buffer, run: (b) => {
    const m = parseCtap2Reply(b);
    parseGetAssertionResponse(m, { rpId: RP_ID, clientDataHash: CDH });
    parseGetAssertionResponse(m, { rpId: RP_ID, clientDataHash: CDH, allowList: [CRED_ID] }, ED_SIGNER);
  } },
  keyAgreement: { seed: SEEDS.keyAgreement as Buffer, run: (b) => {
    const key = parseKeyAgreementReply(parseCtap2Reply(b));
    pinProtocolV1.encapsulate(key);
    pinProtocolV2.encapsulate(key);
  } },
  pinRetries: { seed: SEEDS.pinRetries as Buffer, run: (b) => void parsePinRetries(parseCtap2Reply(b)) },
  pinToken: { seed: Buffer.concat([Buffer.from([0, 0xa1, 0x02, 0x50]), Buffer.alloc(16, 3)]), run: (b) => {
    pinProtocolV1.decrypt(Buffer.alloc(32, 1), parseTokenReply(parseCtap2Reply(b)));
  } },
  credsMetadata: { seed: SEEDS.credsMetadata as Buffer, run: (b) => void parseCredsMetadata(parseCtap2Reply(b)) },
  rpEntry: { seed: SEEDS.rpEntry as Buffer, run: (b) => void parseRpEntry(parseCtap2Reply(b)) },
  credentialEntry: { seed: SEEDS.credentialEntry as Buffer, run: (b) => void parseCredentialEntry(parseCtap2Reply(b)) },
  authData: { seed: makeCredentialAuthData(), run: (b) => {
    const a = parseAuthData(b);
    if (a.attested) credentialPublicKey(a.attested.cose);
  } },
};

// ---- structure-aware CBOR mutation ----

function randomValue(rng: Prng, depth: number): CborValue {
  switch (rng.int(depth > 2 ? 6 : 8)) {
    case 0: return rng.pick([0, 1, 23, 24, 255, 256, 65535, 65536, 2 ** 32, Number.MAX_SAFE_INTEGER]);
    case 1: return -1 - rng.int(70000);
    case 2: return rng.pick(['', 'public-key', 'ssh:', 'id', 'credProtect', 'x'.repeat(rng.int(80))]);
    case 3: return rng.bytes(rng.pick([0, 1, 16, 31, 32, 33, 64, 65, 200]));
    case 4: return rng.pick([true, false, null]);
    case 5: return rng.int(2) ? 3 : -8;
    case 6: return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default: return new Map(Array.from({ length: rng.int(4) }, () => [rng.int(2) ? rng.int(12) : rng.pick(['id', 'alg', 'type', 'sig']), randomValue(rng, depth + 1)] as [number | string, CborValue]));
  }
}

/** Replace, delete or add one node somewhere in the tree. */
function mutateTree(rng: Prng, v: CborValue, depth = 0): CborValue {
  if (v instanceof Map) {
    const m = new Map(v);
    const keys = [...m.keys()];
    const action = rng.int(10);
    if (action === 0 || keys.length === 0) m.set(rng.int(2) ? rng.int(20) : rng.pick(['id', 'alg', 'type', 'x5c', 'credProtect']), randomValue(rng, depth));
    else if (action === 1) m.delete(rng.pick(keys));
    else {
      const k = rng.pick(keys);
      m.set(k, action < 5 ? randomValue(rng, depth) : mutateTree(rng, m.get(k), depth + 1));
    }
    return m;
  }
  if (Array.isArray(v)) {
    if (v.length === 0 || rng.int(4) === 0) return [...v, randomValue(rng, depth)];
    const i = rng.int(v.length);
    return v.map((x, j) => (j === i ? mutateTree(rng, x, depth + 1) : x));
  }
  if (Buffer.isBuffer(v) && v.length > 37 && rng.int(2)) return mutateBytes(rng, v); // authData and friends
  return randomValue(rng, depth);
}

function mutateReply(rng: Prng, seed: Buffer): Buffer {
  if (seed[0] !== 0 || rng.int(2) === 0) return mutateBytes(rng, seed);
  const tree = decodeCbor(seed.subarray(1));
  const mutated = mutateTree(rng, tree);
  return Buffer.concat([Buffer.from([0]), simEncode(mutated)]);
}

// ---- CTAPHID packet-level mutation ----

function fit64(b: Buffer): Buffer {
  const out = Buffer.alloc(64);
  b.copy(out, 0, 0, 64);
  return out;
}

function mutatePackets(rng: Prng, packets: Buffer[]): Buffer[] {
  const out: Buffer[] = packets.map((p) => Buffer.from(p));
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const i = rng.int(out.length || 1);
    switch (rng.int(9)) {
      case 0: if (out[i]) out[i] = fit64(mutateBytes(rng, out[i] as Buffer)); break;
      case 1: out.splice(i, 1); break;
      case 2: if (out[i]) out.splice(i, 0, Buffer.from(out[i] as Buffer)); break;
      case 3: if (out.length > 1) { const j = rng.int(out.length); [out[i], out[j]] = [out[j] as Buffer, out[i] as Buffer]; } break;
      case 4: out.splice(i, 0, rng.bytes(64)); break;
      case 5: out.splice(i, 0, fit64(Buffer.from(CID + 'bf0001' + rng.pick(['01', '04', '06', '0b', '7f', '00']), 'hex'))); break;
      case 6: out.splice(i, 0, fit64(Buffer.from(CID + 'bb0001' + rng.pick(['01', '02', 'ff']), 'hex'))); break;
      case 7: if (out[i]) { (out[i] as Buffer)[5] = rng.int(256); (out[i] as Buffer)[6] = rng.int(256); } break;
      default: if (out[i]) (out[i] as Buffer).writeUInt32BE(rng.pick([0xffffffff, 0x2133e1b8, 0]), 0);
    }
  }
  return out;
}

function replyPackets(seed: Buffer, rng: Prng): Buffer[] {
  const keepalives = Array.from({ length: rng.int(3) }, () => fit64(Buffer.from(CID + 'bb000102', 'hex')));
  return [...keepalives, ...fragmentMessage(Buffer.from(CID, 'hex'), 0x10, seed).map((p) => Buffer.from(p))];
}

async function channelCase(rng: Prng, target: string): Promise<void> {
  if (target === 'ctaphid-init') {
    const packets = mutatePackets(rng, [fit64(INIT_REPLY)]);
    const conn = new ScriptedConnection((p, c) => { if (p[4] === 0x86) c.enqueue(...packets); }, true);
    await CtapHidChannel.open(conn, { nonce: NONCE, timeoutMs: 50 });
    return;
  }
  const seedName = rng.pick(Object.keys(CBOR_TARGETS).filter((k) => k !== 'authData'));
  const t = CBOR_TARGETS[seedName] as { seed: Buffer; run: SyncTarget };
  const packets = mutatePackets(rng, replyPackets(t.seed, rng));
  const conn = new ScriptedConnection((p, c) => {
    if (p[4] === 0x86) c.enqueue(fit64(INIT_REPLY));
    else if (p[4] === 0x90) c.enqueue(...packets);
  }, true);
  const ch = await CtapHidChannel.open(conn, { nonce: NONCE, timeoutMs: 50 });
  const reply = await ch.cbor(Buffer.from([0x04]), { timeoutMs: 50, onKeepalive: () => undefined });
  t.run(reply);
}

function assemblerCase(rng: Prng): void {
  const seed = rng.pick(Object.values(SEEDS));
  const packets = mutatePackets(rng, fragmentMessage(Buffer.from(CID, 'hex'), 0x10, seed).map((p) => Buffer.from(p)));
  let asm: MessageAssembler | undefined;
  for (const raw of packets) {
    const p = parsePacket(raw);
    if (p.kind === 'init') asm = new MessageAssembler(p.cmd, p.bcnt, p.data);
    else asm?.push(p.seq, p.data);
    if (asm?.complete) return;
  }
}

/** Host→device: canonical requests (mutated as trees or bytes) into the software authenticator. */
const SIM_REQUESTS: Buffer[] = [
  Buffer.concat([Buffer.from([0x01]), encodeCbor(buildMakeCredentialParams({ ...MC_REQ, alg: -7 }))]),
  Buffer.concat([Buffer.from([0x01]), encodeCbor(buildMakeCredentialParams(MC_REQ, { param: Buffer.alloc(16), protocol: 1 }))]),
  Buffer.concat([Buffer.from([0x02]), encodeCbor(buildGetAssertionParams({ rpId: RP_ID, clientDataHash: CDH, allowList: [CRED_ID] }))]),
  Buffer.concat([Buffer.from([0x06]), encodeCbor(new Map<number, unknown>([[1, 2], [2, 2]]))]),
  Buffer.concat([Buffer.from([0x06]), encodeCbor(new Map<number, unknown>([[1, 1], [2, 5], [3, new Map<number, unknown>([[1, 2], [3, -25], [-1, 1], [-2, Buffer.alloc(32, 1)], [-3, Buffer.alloc(32, 2)]])], [6, Buffer.alloc(16)]]))]),
  Buffer.concat([Buffer.from([0x41]), encodeCbor(new Map<number, unknown>([[1, 4], [2, new Map([[1, CDH]])], [3, 1], [4, Buffer.alloc(16)]]))]),
  Buffer.from([0x04]),
];

/** Returns the CTAP status the simulator answered with. */
async function simulatorCase(rng: Prng, sim: SoftAuthenticator): Promise<number> {
  const seed = rng.pick(SIM_REQUESTS);
  let req: Buffer;
  if (seed.length > 1 && rng.int(2)) {
    req = Buffer.concat([seed.subarray(0, 1), simEncode(mutateTree(rng, decodeCbor(seed.subarray(1))))]);
  } else {
    req = mutateBytes(rng, seed);
  }
  if (rng.int(8) === 0 && req.length) req[0] = rng.pick([0x01, 0x02, 0x04, 0x06, 0x07, 0x08, 0x0a, 0x0b, 0x41, 0x99]);
  try {
    const reply = await sim.handleCbor(req, { signal: new AbortController().signal, setWaitingForTouch: () => undefined });
    // Whatever came in, the reply is a status byte, and a success carries one canonical map.
    if (reply[0] === 0 && reply.length > 1) decodeCbor(reply.subarray(1));
    return reply[0] ?? -1;
  } catch (err) {
    // Not an NbgError on purpose: any throw here is a simulator bug and must fail the run.
    throw new Error(`simulator threw on request ${req.toString('hex')}: ${err instanceof Error ? err.stack : String(err)}`);
  }
}

function withWatchdog<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const dog = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`case did not finish within ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([p, dog]).finally(() => clearTimeout(timer));
}

/**
 * Runs `iterations` seeded cases: ~52% CBOR replies into every parser, ~43% CTAPHID frames into
 * the reassembler and a real channel, ~5% requests into the simulator. A case passes when it
 * returns or throws an NbgError (the simulator must not throw at all).
 */
export async function runFuzz(opts: { iterations: number; seed: number; onProgress?: (done: number) => void }): Promise<FuzzReport> {
  const rng = new Prng(opts.seed);
  const report: FuzzReport = { seed: opts.seed, cases: 0, byTarget: {}, errorCodes: {}, failures: [], failureCount: 0, maxCaseMs: 0, elapsedMs: 0 };
  const started = Date.now();
  const cborNames = Object.keys(CBOR_TARGETS);
  // PIN 1234 set so PIN paths run; presence always approves so no case waits.
  const sim = new SoftAuthenticator({ profile: 'ctap21', presence: () => 'approve' });
  sim.state.pinHash = createHash('sha256').update('1234').digest().subarray(0, 16).toString('hex');
  for (let i = 0; i < opts.iterations; i++) {
    const roll = rng.int(100);
    const target = roll < 52 ? rng.pick(cborNames) : roll < 72 ? 'ctaphid-assembler' : roll < 77 ? 'ctaphid-init' : roll < 95 ? 'ctaphid-channel' : 'simulator-request';
    const stats = (report.byTarget[target] ??= { cases: 0, accepted: 0, rejected: 0 });
    stats.cases++;
    report.cases++;
    const t0 = Date.now();
    let input = '';
    try {
      if (target === 'simulator-request') {
        const status = await withWatchdog(simulatorCase(rng, sim));
        if (status === 0) {
          stats.accepted++;
        } else {
          stats.rejected++;
          const code = `SIM_STATUS_0x${status.toString(16).padStart(2, '0')}`;
          report.errorCodes[code] = (report.errorCodes[code] ?? 0) + 1;
        }
      } else {
        if (target === 'ctaphid-assembler') assemblerCase(rng);
        else if (target.startsWith('ctaphid-')) await withWatchdog(channelCase(rng, target));
        else {
          const t = CBOR_TARGETS[target] as { seed: Buffer; run: SyncTarget };
          const bytes = mutateReply(rng, t.seed);
          input = bytes.toString('hex');
          t.run(bytes);
        }
        stats.accepted++;
      }
    } catch (err) {
      if (err instanceof NbgError) {
        stats.rejected++;
        report.errorCodes[err.code] = (report.errorCodes[err.code] ?? 0) + 1;
      } else {
        report.failureCount++;
        if (report.failures.length < MAX_KEPT_FAILURES) {
          report.failures.push({ target, caseIndex: i, input, error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err) });
        }
      }
    }
    report.maxCaseMs = Math.max(report.maxCaseMs, Date.now() - t0);
    if (opts.onProgress && i % 100_000 === 99_999) opts.onProgress(i + 1);
  }
  report.elapsedMs = Date.now() - started;
  return report;
}

export function formatReport(r: FuzzReport): string {
  const lines = [`fuzz seed=0x${r.seed.toString(16)} cases=${r.cases} failures=${r.failureCount} elapsed=${r.elapsedMs} ms max-case=${r.maxCaseMs} ms`];
  for (const [name, s] of Object.entries(r.byTarget).sort()) lines.push(`  ${name.padEnd(18)} ${String(s.cases).padStart(8)} cases, ${s.accepted} accepted, ${s.rejected} rejected (typed errors)`);
  lines.push(`  error codes: ${Object.entries(r.errorCodes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  for (const f of r.failures.slice(0, 5)) lines.push(`  FAILURE ${f.target} #${f.caseIndex} input=${f.input.slice(0, 200)}\n    ${f.error.split('\n').slice(0, 6).join('\n    ')}`);
  return lines.join('\n');
}
