// Security-key stack speed: CBOR, CTAPHID framing, full getAssertion through the simulator, fuzz rate.
import { performance } from 'node:perf_hooks';
import { CtapHidChannel } from '../../native/ctaphid/channel';
import { MAX_MESSAGE_LEN } from '../../native/ctaphid/constants';
import { MessageAssembler, fragmentMessage, parsePacket } from '../../native/ctaphid/framing';
import { decodeCbor } from '../../native/ctap2/cbor';
import { Ctap2Client } from '../../native/ctap2/client';
import { PinPermission } from '../../native/ctap2/pin-protocol';
import { openSimulator } from '../../native/simulator/index';
import { runFuzz } from '../fuzz/engine';
import { seedReplies } from '../fuzz/seeds';

async function measure(name: string, iterations: number, f: () => unknown): Promise<void> {
  for (let i = 0; i < Math.min(50, iterations); i++) await f();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await f();
  const ms = performance.now() - t0;
  console.log(`${name.padEnd(56)} ${(iterations / (ms / 1000)).toFixed(0).padStart(9)} ops/s  ${((ms * 1000) / iterations).toFixed(1).padStart(9)} µs/op`);
}

const getInfoBody = (seedReplies().getInfo as Buffer).subarray(1);
await measure('strict CBOR decode (getInfo reply)', 50_000, () => decodeCbor(getInfoBody));

const cid = Buffer.from('2133e1b9', 'hex');
const big = Buffer.alloc(MAX_MESSAGE_LEN, 7);
await measure('fragment + reassemble 7609 bytes (129 packets)', 5_000, () => {
  const packets = fragmentMessage(cid, 0x10, big);
  const first = parsePacket(packets[0] as Uint8Array);
  if (first.kind !== 'init') throw new Error('no init');
  const asm = new MessageAssembler(first.cmd, first.bcnt, first.data);
  for (const p of packets.slice(1)) {
    const c = parsePacket(p);
    if (c.kind === 'cont') asm.push(c.seq, c.data);
  }
});

for (const profile of ['yubikey5-fw54', 'ctap21'] as const) {
  const sim = await openSimulator({ profile });
  const channel = await CtapHidChannel.open(sim.connection());
  const client = new Ctap2Client(channel);
  await client.getInfo();
  await client.setPin('123456');
  const tokenOpts = profile === 'ctap21' ? { permissions: PinPermission.MC | PinPermission.GA, rpId: 'ssh:' } : {};
  const cred = await client.makeCredential({ clientDataHash: Buffer.alloc(32, 1), rpId: 'ssh:', user: { id: Buffer.alloc(32) }, alg: -8, credProtect: 3, residentKey: true },
    await client.getPinToken('123456', tokenOpts));
  const signer = { alg: cred.alg, publicKey: cred.publicKey };
  await measure(`${profile}: PIN token (protocol 2)`, 300, () => client.getPinToken('123456', tokenOpts));
  await measure(`${profile}: token + verified getAssertion (one sign)`, 300, async () => {
    const tok = await client.getPinToken('123456', tokenOpts);
    await client.getAssertion({ rpId: 'ssh:', clientDataHash: Buffer.alloc(32, 2), allowList: [cred.credentialId] }, tok, signer);
  });
  await channel.close();
}

const t0 = performance.now();
const report = await runFuzz({ iterations: 20_000, seed: 7 });
console.log(`${'fuzz cases (mixed targets)'.padEnd(56)} ${(report.cases / ((performance.now() - t0) / 1000)).toFixed(0).padStart(9)} cases/s  failures=${report.failureCount}`);
