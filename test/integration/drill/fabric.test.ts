// The drill fabric end to end over real SSH: ssh2 clients with the sk agent (soft signer) and
// stock OpenSSH `ssh -J` through the app's agent socket.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import ssh2 from 'ssh2';
import { AgentServer } from '../../../electron/core/ssh/agent/server';
import { SkAgent } from '../../../electron/core/ssh/agent/sk-agent';
import { deviceProfile } from '../../../electron/drill/device-profile';
import { startDrillFabric, type DrillDeviceInfo, type DrillFabric } from '../../../electron/drill/fabric';
import { encodeSkPublicKeyBlob, formatPublicKeyLine } from '../../../native/sk/publickey';
import { SshWriter } from '../../../native/sk/wire';
import { SkKeyType } from '../../../native/sk/types';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { runSsh, writeSshConfig } from '../../support/ssh-client';
import { connect, connectVia, exec, forwardOut, shell } from '../../support/drill-client';

const writerKey = new SoftSk({ comment: 'writer' });
const readerKey = new SoftSk({ comment: 'reader', type: SkKeyType.EcdsaP256 });
const upOnlyKey = new SoftSk({ comment: 'up-only', assertionFlags: 0x01 });
const noUpKey = new SoftSk({ comment: 'no-touch', assertionFlags: 0x04 });
const strangerKey = new SoftSk({ comment: 'stranger' });

/** An sk public key whose "signatures" are plain Ed25519 over the raw data (no authData): must be refused. */
const plain = generateKeyPairSync('ed25519');
const plainSkBlob = encodeSkPublicKeyBlob({ type: SkKeyType.Ed25519, application: 'ssh:', publicKey: Buffer.from(plain.publicKey.export({ format: 'jwk' }).x!, 'base64url') });
class PlainSignatureAgent extends ssh2.BaseAgent<Buffer> {
  override getIdentities(cb: (err: Error | null, keys?: Buffer[]) => void): void {
    cb(null, [plainSkBlob]);
  }
  override sign(_key: Buffer, data: Buffer, ...rest: unknown[]): void {
    const cb = rest.find((r) => typeof r === 'function') as (err: Error | null, sig?: Buffer) => void;
    cb(null, new SshWriter().string('ssh-ed25519').string(cryptoSign(null, data, plain.privateKey)).toBuffer());
  }
}

let home: string;
let fabric: DrillFabric;
const clients: ssh2.Client[] = [];
const agentFor = (key: SoftSk) => new SkAgent(new SoftSkSigner([key]), { purpose: 'drill test', origin: 'test' });
const device = (name: string): DrillDeviceInfo => {
  const d = fabric.devices.find((x) => x.name === name);
  assert.ok(d, name);
  return d;
};
const track = <T extends { jump: ssh2.Client; device: ssh2.Client }>(c: T): T => {
  clients.push(c.jump, c.device);
  return c;
};
const lastRefusal = (server: string) => fabric.events().filter((e) => e.server === server && e.kind === 'auth' && e.outcome === 'refused').at(-1);

before(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-drill-'));
  fabric = await startDrillFabric({
    home,
    config: {
      users: [
        { name: 'alice', role: 'writer', keys: [writerKey.publicKeyLine] },
        { name: 'bob', role: 'reader', keys: [readerKey.publicKeyLine] },
        { name: 'carol', role: 'writer', keys: [upOnlyKey.publicKeyLine, noUpKey.publicKeyLine] },
        { name: 'mallory', role: 'writer', keys: [formatPublicKeyLine(plainSkBlob, 'plain')] },
      ],
    },
  });
});

after(async () => {
  for (const c of clients) c.end();
  await fabric.stop();
  await fs.rm(home, { recursive: true, force: true });
});

test('the fabric listens only on loopback and describes every device', () => {
  const all = [fabric.jump, ...fabric.devices.flatMap((d) => [d.primary, d.backup])];
  for (const a of all) assert.match(a.host, /^127\./);
  assert.deepEqual(fabric.devices.map((d) => [d.name, d.role]), [['CE1', 'CE'], ['CE2', 'CE'], ['ToR1', 'ToR'], ['NPB1', 'NPB'], ['TS1', 'TS'], ['MGMT1', 'Management'],
    ['ToR2', 'ToR'], ['ToR3', 'ToR'], ['ToR4', 'ToR']]);
  assert.deepEqual(fabric.devices.filter((d) => d.primaryDead).map((d) => d.name), ['ToR1', 'ToR3']);
  assert.deepEqual(fabric.devices.filter((d) => d.v15).map((d) => d.name), ['NPB1']);
  assert.match(fabric.jump.hostKeyFingerprint, /^SHA256:/);
  assert.equal(new Set(fabric.devices.map((d) => d.hostKeyFingerprint)).size, fabric.devices.length, 'a host key per device');
  for (const a of fabric.v15Accounts) assert.match(a.password, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
});

test('a writer logs in through the jump host with the sk agent and runs show version', async () => {
  const signer = new SoftSkSigner([writerKey]);
  const agent = new SkAgent(signer, { purpose: 'drill test', origin: 'test' });
  const ce1 = device('CE1');
  const c = track(await connectVia(fabric.jump, ce1.primary, 'alice', { agent }));
  const r = await exec(c.device, 'show version');
  assert.equal(r.code, 0);
  const profile = deviceProfile('CE1', 'CE');
  assert.match(r.out, /^Arista DCS-7280DR3-24-F\n/);
  assert.ok(r.out.includes(`Serial number: ${profile.serial}\n`));
  assert.equal(signer.requests.length, 2, 'one signature per hop');
  const accepted = fabric.events().filter((e) => e.kind === 'auth' && e.outcome === 'ok' && e.user === 'alice');
  assert.deepEqual(accepted.map((e) => e.server), ['jump', 'CE1']);
  assert.match(accepted[1]!.message, /sk_flags 0x05 counter \d+ \(writer\)$/);
  const bad = await exec(c.device, 'show verzion');
  assert.deepEqual(bad, { out: '% Invalid input\n', code: 1 });
});

test('a reader is refused configure terminal; a writer reaches (config)# and changes the device', async () => {
  const ce2 = device('CE2');
  const reader = track(await connectVia(fabric.jump, ce2.primary, 'bob', { agent: agentFor(readerKey) }));
  const rs = await shell(reader.device);
  await rs.until(/>$/);
  rs.send('en\r');
  await rs.until(/#$/);
  rs.send('conf t\r');
  const denied = await rs.until(/#$/);
  assert.match(denied, /% Authorization denied for command 'configure terminal'\r\n/);
  assert.doesNotMatch(denied, /\(config\)#$/);
  rs.send('exit\r');
  await rs.closed;

  const writer = track(await connectVia(fabric.jump, ce2.primary, 'alice', { agent: agentFor(writerKey) }));
  const ws = await shell(writer.device);
  const host = deviceProfile('CE2', 'CE').hostname;
  await ws.until(new RegExp(`${host}>$`));
  ws.send('enable\r');
  await ws.until(new RegExp(`${host}#$`));
  ws.send('configure terminal\r');
  await ws.until(new RegExp(`${host}\\(config\\)#$`));
  ws.send('interface Ethernet3/1\r');
  await ws.until(/\(config-if-Et3\/1\)#$/);
  ws.send('description drill-change\r');
  await ws.until(/\(config-if-Et3\/1\)#$/);
  ws.send('end\r');
  await ws.until(new RegExp(`${host}#$`));
  ws.send('show running-config\r');
  const cfg = await ws.until(new RegExp(`end\\r\\n${host}#$`));
  assert.match(cfg, /interface Ethernet3\/1\r\n {3}description drill-change\r\n/);
  ws.send('sh ?');
  const help = await ws.until(/#sh $/);
  assert.match(help, / {2}version +Software and hardware versions/);
});

test('missing UV is refused where the device requires it and accepted where it does not', async () => {
  await assert.rejects(connect({ ...device('CE1').primary, username: 'carol', agent: agentFor(upOnlyKey) }), /authentication methods failed/);
  assert.equal(lastRefusal('CE1')?.reason, 'uv-missing');
  const ts = await connect({ ...device('TS1').primary, username: 'carol', agent: agentFor(upOnlyKey) });
  clients.push(ts);
  assert.equal((await exec(ts, 'show hostname')).code, 0);
  await assert.rejects(connect({ ...device('TS1').primary, username: 'carol', agent: agentFor(noUpKey) }), /authentication methods failed/);
  assert.equal(lastRefusal('TS1')?.reason, 'up-missing');
});

test('unknown keys and plain Ed25519 signatures for an sk key are refused', async () => {
  await assert.rejects(connect({ ...fabric.jump, username: 'alice', agent: agentFor(strangerKey) }), /authentication methods failed/);
  assert.equal(lastRefusal('jump')?.reason, 'unknown-key');
  await assert.rejects(connect({ ...fabric.jump, username: 'nobody', agent: agentFor(writerKey) }), /authentication methods failed/);
  assert.equal(lastRefusal('jump')?.reason, 'unknown-user');
  await assert.rejects(connect({ ...fabric.jump, username: 'mallory', agent: new PlainSignatureAgent() }), /authentication methods failed/);
  assert.equal(lastRefusal('jump')?.reason, 'bad-signature');
});

test('the dead primary path fails and the in-band backup works', async () => {
  const tor = device('ToR1');
  const jump = await connect({ ...fabric.jump, username: 'alice', agent: agentFor(writerKey) });
  clients.push(jump);
  await assert.rejects(forwardOut(jump, tor.primary), /Channel open failure/);
  const failed = fabric.events().filter((e) => e.kind === 'forward' && e.outcome === 'refused').at(-1);
  assert.equal(failed?.reason, 'unreachable');
  assert.match(failed?.message ?? '', /ECONNREFUSED/);
  const viaBackup = track(await connectVia(fabric.jump, tor.backup, 'alice', { agent: agentFor(writerKey) }));
  const r = await exec(viaBackup.device, 'show ip bgp summary');
  assert.equal(r.code, 0);
  assert.match(r.out, /^BGP summary information for VRF default\n/);
});

test('the jump host forwards only to drill devices', async () => {
  const jump = await connect({ ...fabric.jump, username: 'alice', agent: agentFor(writerKey) });
  clients.push(jump);
  await assert.rejects(forwardOut(jump, { host: '127.0.0.1', port: fabric.jump.port === 1 ? 2 : 1 }));
  assert.equal(fabric.events().filter((e) => e.kind === 'forward' && e.reason === 'not-allowed').length, 1);
});

test('the v1.5 device takes the TelcoRO/TelcoRW passwords and nothing else', async () => {
  const npb = device('NPB1');
  const ro = fabric.v15Accounts.find((a) => a.user === 'TelcoRO')!;
  const rw = fabric.v15Accounts.find((a) => a.user === 'TelcoRW')!;
  const jumpAgent = agentFor(writerKey);
  const roConn = track(await connectVia(fabric.jump, npb.primary, 'alice', { deviceUser: 'TelcoRO', password: ro.password }, jumpAgent));
  const roShell = await shell(roConn.device);
  await roShell.until(/>$/);
  roShell.send('enable\rconfigure terminal\r');
  assert.match(await roShell.until(/denied.*\r\n.*#$/), /% Authorization denied/);

  const rwConn = track(await connectVia(fabric.jump, npb.primary, 'alice', { deviceUser: 'TelcoRW', password: rw.password }, jumpAgent));
  const rwShell = await shell(rwConn.device);
  await rwShell.until(/>$/);
  rwShell.send('enable\rconfigure terminal\r');
  await rwShell.until(/\(config\)#$/);

  await assert.rejects(connectVia(fabric.jump, npb.primary, 'alice', { deviceUser: 'TelcoRO', password: rw.password }, jumpAgent), /authentication methods failed/);
  assert.equal(lastRefusal('NPB1')?.reason, 'wrong-password');
  await assert.rejects(connectVia(fabric.jump, npb.primary, 'alice', { agent: agentFor(writerKey) }), /authentication methods failed/);
  for (const e of fabric.events()) assert.ok(!e.message.includes(ro.password) && !e.message.includes(rw.password));
});

test('host keys persist across drills; a silent primary makes the client time out', async () => {
  const again = await startDrillFabric({ home, config: { users: [{ name: 'alice', role: 'writer', keys: [writerKey.publicKeyLine] }] }, deadPrimary: 'silent' });
  try {
    assert.equal(again.jump.hostKeyFingerprint, fabric.jump.hostKeyFingerprint);
    assert.deepEqual(again.devices.map((d) => d.hostKeyFingerprint), fabric.devices.map((d) => d.hostKeyFingerprint));
    const tor = again.devices.find((d) => d.primaryDead)!;
    await assert.rejects(connectVia(again.jump, tor.primary, 'alice', { agent: agentFor(writerKey), readyTimeout: 600 }), /Timed out while waiting for handshake/);
  } finally {
    await again.stop();
  }
});

test('stock OpenSSH ssh -J reaches a device through the app agent socket', async () => {
  const agent = await AgentServer.start({ signer: new SoftSkSigner([writerKey]) });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-drill-ssh-'));
  try {
    const config = await writeSshConfig(dir, agent.path);
    await fs.writeFile(path.join(dir, 'known_hosts'), fabric.knownHosts());
    const ce1 = device('CE1');
    const r = await runSsh(config, [
      '-o', 'StrictHostKeyChecking yes',
      '-J', `alice@${fabric.jump.host}:${fabric.jump.port}`,
      '-p', String(ce1.primary.port), `alice@${ce1.primary.host}`, 'show', 'version',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Arista DCS-7280DR3-24-F\n/);
    const denied = await runSsh(config, ['-J', `alice@${fabric.jump.host}:${fabric.jump.port}`, '-p', String(ce1.primary.port), `alice@${ce1.primary.host}`, 'show', 'nothing']);
    assert.equal(denied.code, 1);
    assert.equal(denied.stdout, '% Invalid input\n');
  } finally {
    await agent.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});
