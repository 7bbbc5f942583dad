// The app's AgentServer with stock OpenSSH `ssh` (direct and ProxyJump) and raw protocol edge cases.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AgentServer, privatePipeName, validatePipeName, type ConfirmSignRequest } from '../../../electron/core/ssh/agent/server';
import { fingerprintSha256 } from '../../../native/sk/publickey';
import { verifySkSignature } from '../../../native/sk/signature';
import { SshReader, SshWriter } from '../../../native/sk/wire';
import { SkKeyType } from '../../../native/sk/types';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { runSsh, writeSshConfig } from '../../support/ssh-client';
import { startSshd, type Sshd } from '../../support/sshd';

/** Sends raw bytes, collects replies until the agent closes or `replies` messages arrived. */
function talk(socketPath: string, bytes: Buffer, replies: number, timeoutMs = 5_000): Promise<{ messages: Buffer[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(socketPath);
    let buf = Buffer.alloc(0);
    const messages: Buffer[] = [];
    const done = (closed: boolean) => { clearTimeout(timer); sock.destroy(); resolve({ messages, closed }); };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('error', reject);
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        messages.push(buf.subarray(4, 4 + buf.readUInt32BE(0)));
        buf = buf.subarray(4 + buf.readUInt32BE(0));
      }
      if (messages.length >= replies) done(false);
    });
    sock.on('close', () => done(true));
  });
}

const msg = (type: number, body: Buffer = Buffer.alloc(0)) => new SshWriter().uint32(body.length + 1).byte(type).raw(body).toBuffer();
const signRequest = (blob: Buffer, data: Buffer) => msg(13, new SshWriter().string(blob).string(data).uint32(0).toBuffer());

describe('AgentServer with stock OpenSSH ssh', () => {
  const key = new SoftSk({ type: SkKeyType.Ed25519 });
  const signer = new SoftSkSigner([key]);
  const seen: number[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-agent-ssh-'));
  let agent: AgentServer;
  let target: Sshd;
  let jump: Sshd;
  let config: string;

  before(async () => {
    agent = await AgentServer.start({ signer, onRequest: (type) => seen.push(type), describeHostKey: (blob) => fingerprintSha256(blob) === jump?.hostKeyFingerprint ? 'jump-01' : undefined });
    [target, jump] = await Promise.all([
      startSshd({ authorizedKeys: [`verify-required ${key.publicKeyLine}`], listen: '127.0.0.3' }),
      startSshd({ authorizedKeys: [`verify-required ${key.publicKeyLine}`], listen: '127.0.0.2' }),
    ]);
    config = await writeSshConfig(dir, agent.path);
  });
  after(async () => {
    await Promise.all([agent.close(), target.stop(), jump.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lives in a private 0700 directory with a 0600 socket', () => {
    assert.equal(statSync(path.dirname(agent.path)).mode & 0o777, 0o700);
    assert.equal(statSync(agent.path).mode & 0o777, 0o600);
  });

  it('ssh -J jump target logs in; the agent sees 27, 11, 13 per hop', async () => {
    seen.length = 0;
    signer.requests.length = 0;
    const res = await runSsh(config, ['-J', `${jump.user}@${jump.host}:${jump.port}`, '-p', String(target.port), `${target.user}@${target.host}`, 'echo via-agent']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), 'via-agent');
    assert.deepEqual(seen, [27, 11, 13, 27, 11, 13]);
    assert.equal(signer.requests.length, 2);
    assert.deepEqual(signer.requests.map((r) => r.context.purpose), [`sign in as ${jump.user}`, `sign in as ${target.user}`]);
    assert.equal(signer.requests[0]!.context.hop, 'jump-01', 'the bound host key names the hop');
    assert.equal(signer.requests[1]!.context.hop, target.hostKeyFingerprint);
    await target.waitForLog(/sk_flags = 0x05/);
    await jump.waitForLog(/sk_flags = 0x05/);
  });
});

describe('AgentServer protocol edge cases', () => {
  const key = new SoftSk({ type: SkKeyType.EcdsaP256 });
  const signer = new SoftSkSigner([key]);
  const confirmations: ConfirmSignRequest[] = [];
  let allow = true;
  let agent: AgentServer;
  before(async () => {
    agent = await AgentServer.start({
      signer,
      maxMessageBytes: 4096,
      confirmSign: async (req) => { confirmations.push(req); return allow; },
    });
  });
  after(() => agent.close());

  it('lists identities and signs (verifiable sk signature)', async () => {
    allow = true;
    const data = Buffer.from('data to sign');
    const { messages } = await talk(agent.path, Buffer.concat([msg(11), signRequest(key.blob, data)]), 2);
    assert.equal(messages[0]![0], 12);
    const ids = new SshReader(messages[0]!.subarray(1));
    assert.equal(ids.uint32(), 1);
    assert.ok(ids.string().equals(key.blob));
    assert.equal(ids.utf8(), 'NexusIdentitySSHKey');
    assert.equal(messages[1]![0], 14);
    const sig = new SshReader(messages[1]!.subarray(1)).string();
    assert.equal(verifySkSignature(key.publicKey, data, sig).flags, 0x05);
    const last = confirmations.at(-1)!;
    assert.equal(last.keyFingerprint, fingerprintSha256(key.blob));
    assert.match(last.requester, /ssh-agent socket client #\d+/);
    assert.equal(last.context.purpose, 'sign data (not an SSH login)');
  });

  it('answers FAILURE to unknown messages, add-identity, unknown extensions and unknown keys', async () => {
    const other = new SoftSk();
    const { messages, closed } = await talk(agent.path, Buffer.concat([
      msg(99), msg(17, Buffer.from([0, 0, 0, 0])), msg(27, new SshWriter().string('query').toBuffer()),
      signRequest(other.blob, Buffer.from('x')), msg(11),
    ]), 5);
    assert.deepEqual(messages.map((m) => m[0]), [5, 5, 5, 5, 12]);
    assert.equal(closed, false);
  });

  it('answers FAILURE when the confirmation is denied, without signing', async () => {
    allow = false;
    const before = signer.requests.length;
    const { messages } = await talk(agent.path, signRequest(key.blob, Buffer.from('no')), 1);
    assert.deepEqual(messages.map((m) => m[0]), [5]);
    assert.equal(signer.requests.length, before);
    allow = true;
  });

  it('closes a client that sends an oversized message, and only that client', async () => {
    const bystander = net.connect(agent.path);
    await new Promise((r) => bystander.once('connect', r));
    const header = Buffer.alloc(4);
    header.writeUInt32BE(4097);
    const { messages, closed } = await talk(agent.path, Buffer.concat([header, Buffer.from([11])]), 1);
    assert.equal(closed, true);
    assert.equal(messages.length, 0);
    const reply = new Promise<Buffer>((r) => bystander.once('data', r));
    bystander.write(msg(11));
    assert.equal((await reply)[4], 12);
    bystander.destroy();
  });

  it('closes a client that sends a malformed sign request or a zero-length message', async () => {
    const truncated = msg(13, new SshWriter().string(key.blob).uint32(50).toBuffer());
    const a = await talk(agent.path, truncated, 1);
    assert.equal(a.closed, true);
    assert.equal(a.messages.length, 0);
    const b = await talk(agent.path, Buffer.alloc(4), 1);
    assert.equal(b.closed, true);
    const c = await talk(agent.path, msg(11, Buffer.from([1])), 1);
    assert.equal(c.closed, true);
  });

  it('drops a client that floods requests while one is pending', async () => {
    const flood = Buffer.concat(Array.from({ length: 100 }, () => msg(11)));
    const { closed } = await talk(agent.path, flood, 100);
    assert.equal(closed, true);
    const { messages } = await talk(agent.path, msg(11), 1);
    assert.equal(messages[0]![0], 12, 'other clients are still served');
  });

  it('uses a private pipe name on Windows, never openssh-ssh-agent', () => {
    const a = privatePipeName();
    assert.match(a, /^\\\\\.\\pipe\\nexus-breakglass-agent-[0-9a-f]{24}$/);
    assert.notEqual(a, privatePipeName());
    assert.equal(validatePipeName(a), a);
    assert.throws(() => validatePipeName('\\\\.\\pipe\\OpenSSH-SSH-Agent'), { code: 'AGENT_SOCKET_UNSAFE' });
    assert.throws(() => validatePipeName('/tmp/agent.sock'), { code: 'AGENT_SOCKET_UNSAFE' });
  });
});

describe('AgentServer in a fixed socket directory', () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'nbg-agent-dir-'));
  after(() => rmSync(base, { recursive: true, force: true }));
  const signer = new SoftSkSigner([new SoftSk()]);

  it('creates a 0700 directory, reuses the same path, and removes only the socket on close', async () => {
    const dir = path.join(base, 'agent');
    const a = await AgentServer.start({ signer, socketDir: dir });
    assert.equal(a.path, path.join(dir, 'agent.sock'));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(a.path).mode & 0o777, 0o600);
    await assert.rejects(AgentServer.start({ signer, socketDir: dir }), { code: 'AGENT_SOCKET_UNSAFE', message: /already listening/ });
    await a.close();
    assert.equal(existsSync(a.path), false);
    assert.equal(existsSync(dir), true);
  });

  it('replaces a stale socket left by a crashed run', async () => {
    const dir = path.join(base, 'stale');
    mkdirSync(dir, { mode: 0o700 });
    const sock = path.join(dir, 'agent.sock');
    // A process that dies without closing leaves its socket file behind.
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(sock)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.equal(statSync(sock).isSocket(), true);
    const a = await AgentServer.start({ signer, socketDir: dir });
    const { messages } = await talk(a.path, msg(11), 1);
    assert.equal(messages[0]![0], 12);
    await a.close();
  });

  it('refuses a directory that is a link or a socket path that is a regular file', async () => {
    const real = path.join(base, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, path.join(base, 'link'));
    await assert.rejects(AgentServer.start({ signer, socketDir: path.join(base, 'link') }), { code: 'AGENT_SOCKET_UNSAFE', message: /not a directory/ });
    writeFileSync(path.join(real, 'agent.sock'), 'not a socket');
    await assert.rejects(AgentServer.start({ signer, socketDir: real }), { code: 'AGENT_SOCKET_UNSAFE', message: /not a socket/ });
  });
});
