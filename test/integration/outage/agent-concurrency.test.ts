// Issue 18: `nbg agent` under load. Twenty stock `ssh -J` logins at once all succeed (signatures
// with one key queue instead of failing); a request whose client has gone costs no PIN or touch;
// connections are bounded; every refusal is reported with its reason and audited; an agent
// client's user name reaches the touch prompt inert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { verifyAuditLog, type AuditEntry } from '../../../electron/core/audit/index';
import { auditLogPath } from '../../../electron/core/audit/log-path';
import { AgentServer, type AgentRefusal } from '../../../electron/core/ssh/agent/server';
import type { SignRequestContext } from '../../../electron/core/ssh/agent/types';
import { SshWriter } from '../../../native/sk/wire';
import { startNbgAgent } from '../../support/nbg-agent';
import { NBG_MAIN, nbg } from '../../support/nbg';
import { runSsh, writeSshConfig } from '../../support/ssh-client';
import { startSshd } from '../../support/sshd';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { tempDir } from '../../support/sessions';

const PIN = '482916';
const LOGINS = 20;
const SSH_TIMEOUT_MS = 240_000;
/** A person reaches for the key: each simulated touch comes this long after the key asks (a real one ~0.5-1 s). */
const TOUCH_MS = 400;
const AGENT_REQUEST_SIGN = 13;
const SSH_MSG_USERAUTH_REQUEST = 50;

const frame = (type: number, body: Buffer): Buffer => new SshWriter().uint32(body.length + 1).byte(type).raw(body).toBuffer();

/** A publickey userauth blob (RFC 4252 §7) as an SSH client asks an agent to sign it. */
function userAuthData(user: string, keyType: string, blob: Buffer): Buffer {
  return new SshWriter().string(Buffer.alloc(32, 7)).byte(SSH_MSG_USERAUTH_REQUEST).string(user).string('ssh-connection')
    .string('publickey').byte(1).string(keyType).string(blob).toBuffer();
}

function signRequest(blob: Buffer, data: Buffer): Buffer {
  return frame(AGENT_REQUEST_SIGN, new SshWriter().string(blob).string(data).uint32(0).toBuffer());
}

/** Sends `bytes` and resolves with the first reply frame's type (or null when the agent closed or reset it). */
function ask(socketPath: string, bytes: Buffer): Promise<number | null> {
  return new Promise((resolve) => {
    const sock = net.connect(socketPath, () => sock.write(bytes));
    let buf = Buffer.alloc(0);
    sock.on('error', () => resolve(null));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 5) { sock.destroy(); resolve(buf[4]!); }
    });
    sock.on('close', () => resolve(null));
  });
}

test(`${LOGINS} concurrent stock ssh -J logins through nbg agent (simulator key with a 400 ms touch) all succeed`, async (t) => {
  const dir = tempDir(t, 'nbg-agent-load-');
  const home = path.join(dir, 'home');
  const keyDir = path.join(dir, 'ssh');
  const env = { NBG_SIMULATOR: path.join(dir, 'sim.json'), NBG_HOME: home };
  assert.equal((await nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  const enrolled = await nbg(['keys', 'enroll', '--dir', keyDir, '--pin-stdin'], { env, stdin: `${PIN}\n` });
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const publicKeyLine = readFileSync(path.join(keyDir, 'id_ed25519_sk.pub'), 'utf8');
  const quiet = ['PrintMotd no', 'PrintLastLog no', `MaxStartups ${4 * LOGINS}`, `MaxSessions ${4 * LOGINS}`];
  const jump = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: '127.0.0.2', extraConfig: quiet });
  t.after(() => jump.stop());
  const device = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: '127.0.0.14', extraConfig: quiet });
  t.after(() => device.stop());
  // Every signature can have its PIN at once (not one PIN line after another), and while one waits
  // for its touch the key answers every other channel CHANNEL_BUSY, as a real key does: only a
  // queue in the agent gets all of them through.
  const agent = await startNbgAgent({ nbg: ['--import', 'tsx', NBG_MAIN], socket: path.join(dir, 'agent.sock'), pin: PIN,
    env: { ...process.env, ...env, NBG_SIMULATOR_TOUCH_MS: String(TOUCH_MS) }, extraArgs: ['--dir', keyDir], pinsAhead: 2 * LOGINS });
  t.after(() => agent.stop());

  const work = path.join(dir, 'openssh');
  mkdirSync(work);
  writeFileSync(path.join(work, 'known_hosts'), [jump, device].map((s) => `[${s.host}]:${s.port} ${s.hostKeyPub}\n`).join(''));
  const config = await writeSshConfig(work, agent.socket);
  const jumpArg = `${jump.user}@${jump.host}:${jump.port}`;
  const results = await Promise.all(Array.from({ length: LOGINS }, (_, i) =>
    runSsh(config, ['-o', 'ConnectTimeout=200', '-J', jumpArg, '-p', String(device.port), `${device.user}@${device.host}`, `echo login-${i}`], SSH_TIMEOUT_MS)));
  const failed = results.map((r, i) => ({ i, ...r })).filter((r) => r.code !== 0 || r.stdout.trim() !== `login-${r.i}`);
  assert.deepEqual(failed.map((f) => f.i), [], `${failed.length} of ${LOGINS} logins failed:\n${failed.map((f) => f.stderr.trim()).join('\n')}\n${agent.stderr()}`);
  assert.equal(agent.signatures(), 2 * LOGINS, 'one signature for the jump and one for the device per login');
  await agent.stop();
  const entries = (await verifyAuditLog(auditLogPath(home))).entries as AuditEntry[];
  assert.deepEqual(entries.filter((e) => e.type === 'agent-refusal'), []);
  assert.equal(entries.filter((e) => e.type === 'sign').length, 2 * LOGINS);
});

test('nbg agent: a client user name with terminal escapes is shown escaped in the touch prompt', async (t) => {
  const dir = tempDir(t, 'nbg-agent-inert-');
  const keyDir = path.join(dir, 'ssh');
  const env = { NBG_SIMULATOR: path.join(dir, 'sim.json'), NBG_HOME: path.join(dir, 'home') };
  assert.equal((await nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  assert.equal((await nbg(['keys', 'enroll', '--dir', keyDir, '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  const [type, b64] = readFileSync(path.join(keyDir, 'id_ed25519_sk.pub'), 'utf8').split(' ');
  const blob = Buffer.from(b64!, 'base64');
  const agent = await startNbgAgent({ nbg: ['--import', 'tsx', NBG_MAIN], socket: path.join(dir, 'agent.sock'), pin: PIN,
    env: { ...process.env, ...env }, extraArgs: ['--dir', keyDir] });
  t.after(() => agent.stop());
  const hostile = 'op\x1b[2J\x1b]0;APPROVED\x07\u202Eevil';
  const reply = await ask(agent.socket, signRequest(blob, userAuthData(hostile, type!, blob)));
  assert.equal(reply, 14, 'signed (SSH_AGENT_SIGN_RESPONSE)');
  const printed = agent.stderr();
  assert.match(printed, /Touch your security key to sign in as op\\033\[2J\\033\]0;APPROVED\\007\\u\{202E\}evil/);
  assert.doesNotMatch(printed, /[\x1b\x07\u202E]/);
});

test('agent: queued signatures of a client that left cost nothing; connections are bounded; refusals carry reasons', async () => {
  const key = new SoftSk();
  const inner = new SoftSkSigner([key]);
  let release = (): void => undefined;
  const firstHeld = new Promise<void>((r) => { release = r; });
  let calls = 0;
  const contexts: SignRequestContext[] = [];
  const signer = {
    identities: () => inner.identities(),
    async sign(blob: Buffer, data: Buffer, context: SignRequestContext): Promise<Buffer> {
      contexts.push(context);
      if (calls++ === 0) await firstHeld; // the first signature waits for its "touch"
      return inner.sign(blob, data, context);
    },
  };
  const refusals: AgentRefusal[] = [];
  const agent = await AgentServer.start({ signer, maxClients: 2, onRefusal: (r) => refusals.push(r) });
  try {
    const data = userAuthData('op', 'sk-ssh-ed25519@openssh.com', key.blob);
    const first = ask(agent.path, signRequest(key.blob, data));
    await new Promise((r) => setTimeout(r, 200));
    // A second client asks for the same key, then leaves before its turn.
    await new Promise<void>((resolve) => {
      const sock = net.connect(agent.path, () => { sock.write(signRequest(key.blob, data)); setTimeout(() => { sock.destroy(); resolve(); }, 200); });
    });
    await new Promise((r) => setTimeout(r, 300)); // the agent sees it leave
    // Two clients are connected (the first, and this one): a third is turned away.
    const holder = net.connect(agent.path);
    await new Promise((r) => holder.once('connect', r));
    assert.equal(await ask(agent.path, signRequest(key.blob, data)), null);
    holder.destroy();
    release();
    assert.equal(await first, 14);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls, 1, 'the departed client never reached the key');
    assert.deepEqual(refusals.map((r) => r.reason).sort(), ['client-gone', 'too-many-clients']);
    assert.ok(refusals.every((r) => /client #\d+/.test(r.origin)));
    assert.ok(contexts[0]?.signal instanceof AbortSignal, 'the signer can cancel on the key when the client goes');
    assert.equal(await ask(agent.path, signRequest(new SoftSk().blob, data)), 5, 'unknown key: FAILURE');
    assert.equal(refusals.at(-1)?.reason, 'unknown-key');
  } finally {
    await agent.close();
  }
});
