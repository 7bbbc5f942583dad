// Post-quantum hybrid key exchange (mlkem768x25519-sha256, draft-ietf-sshm-mlkem-hybrid-kex) in the
// patched ssh2, against a real OpenSSH >= 9.9 sshd (Debian 13's, through chroot: modern-openssh.ts).
// The sshd's own log names the negotiated algorithm; nbg ssh -v and the audit log name it too.
// Also ssh2 server <-> client (the drill's fabric), and the trixie root's stock ssh as a second client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { runCli } from '../../../electron/cli/main';
import { verifyAuditLog } from '../../../electron/core/audit/index';
import { AgentServer } from '../../../electron/core/ssh/agent/server';
import { captureIo } from '../../support/nbg';
import { modernOpensshRoot, modernOpensshVersion } from '../../support/modern-openssh';
import { startSshd, type Sshd } from '../../support/sshd';
import { connectSsh2 } from '../../support/ssh-client';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { tempDir } from '../../support/sessions';

const MLKEM = 'mlkem768x25519-sha256';
const SPAWN_LIMIT_MS = 30_000;

function spawnAsync(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: SPAWN_LIMIT_MS }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ status: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}
const kexInLog = (log: string): string[] => [...log.matchAll(/kex: algorithm: (\S+)/g)].map((m) => m[1]!);

describe('post-quantum key exchange against OpenSSH >= 9.9', () => {
  const key = new SoftSk();
  let root: string;
  let sshd: Sshd;
  let agent: AgentServer;
  let stockDir = '';
  before(async () => {
    // Hard requirement: building the root (debootstrap) must work here, or this fails with why.
    root = modernOpensshRoot();
    assert.match(modernOpensshVersion(root), /^OpenSSH_(9\.9|1\d\.)/);
    stockDir = mkdtempSync(path.join(root, 'tmp', 'nbg-pq-client-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(stockDir, 'id')]);
    sshd = await startSshd({ authorizedKeys: [key.publicKeyLine, readFileSync(path.join(stockDir, 'id.pub'), 'utf8')], root, listen: '127.0.0.41' });
    agent = await AgentServer.start({ signer: new SoftSkSigner([key]) });
  });
  after(async () => {
    await agent?.close();
    await sshd?.stop();
    if (stockDir) rmSync(stockDir, { recursive: true, force: true });
  });
  /** The root's own ssh client, its files inside the root (a chroot sees nothing else). */
  const stockArgs = (s: Sshd): string[] => {
    const inside = `/${path.relative(root, stockDir)}`;
    return ['-F', '/dev/null', '-v', '-i', `${inside}/id`, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
      '-o', `UserKnownHostsFile=${inside}/known_hosts`, '-o', 'StrictHostKeyChecking=accept-new', '-p', String(s.port), `${s.user}@${s.host}`];
  };

  it('nbg ssh negotiates mlkem768x25519-sha256 by default: sshd log, -v line and audit entry agree', async (t) => {
    const dir = tempDir(t, 'nbg-pq-');
    const io = captureIo({ ...process.env, NBG_HOME: path.join(dir, 'home') });
    io.stdin.end();
    const code = await runCli(['ssh', '-v', '--agent', agent.path, '--known-hosts', path.join(dir, 'known_hosts'), '--accept-new',
      `${sshd.user}@${sshd.host}:${sshd.port}`, '--', 'cat', '/etc/debian_version'], io.io);
    assert.equal(code, 0, io.err());
    assert.match(io.out(), /^13\./, 'the command ran on the Debian 13 root');
    assert.equal(kexInLog(sshd.log()).at(-1), MLKEM);
    assert.match(io.err(), new RegExp(`key exchange ${MLKEM}, host key ssh-ed25519 ${sshd.hostKeyFingerprint.replace(/[+/]/g, '\\$&')}`));
    const { ok, entries } = await verifyAuditLog(path.join(dir, 'home', 'audit', 'audit.jsonl'));
    assert.equal(ok, true);
    const outcome = entries.find((e) => e.type === 'connect-outcome');
    assert.equal(outcome?.type === 'connect-outcome' && outcome.outcome, 'ok');
    assert.equal(outcome?.type === 'connect-outcome' && outcome.kex, MLKEM);
  });

  it('the same server with mlkem left out: the log names the classical exchange (the assertion can fail)', async () => {
    const client = await connectSsh2({ host: sshd.host, port: sshd.port, username: sshd.user, agent: agent.path, algorithms: { kex: ['curve25519-sha256'] } });
    client.end();
    assert.equal(kexInLog(sshd.log()).at(-1), 'curve25519-sha256');
  });

  it('stock ssh from the same root negotiates the same exchange (the bench compares the two)', () => {
    const r = spawnSync('chroot', [root, '/usr/bin/ssh', ...stockArgs(sshd), 'true'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`kex: algorithm: ${MLKEM}`));
    assert.equal(kexInLog(sshd.log()).at(-1), MLKEM);
  });
});

describe('post-quantum key exchange on the ssh2 server side (the drill fabric)', () => {
  let serverKex: string[] = [];
  let server: ssh2.Server;
  let port = 0;
  let dir = '';
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-pq-ssh2-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host')]);
    server = new ssh2.Server({ hostKeys: [readFileSync(path.join(dir, 'host'))] }, (conn) => {
      conn.on('handshake', (n) => { serverKex.push(n.kex); });
      conn.on('authentication', (ctx) => ctx.accept());
      conn.on('ready', () => conn.on('session', (accept) => accept().on('exec', (acceptExec) => {
        const ch = acceptExec();
        ch.write('pq-ok\n');
        ch.exit(0);
        ch.end();
      })));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ssh2 client and server both pick mlkem768x25519-sha256 first and the session works', async () => {
    serverKex = [];
    const client = new ssh2.Client();
    const clientKex = new Promise<string>((resolve) => client.once('handshake', (n) => resolve(n.kex)));
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve).once('error', reject);
      client.connect({ host: '127.0.0.1', port, username: 'x', password: 'y', hostVerifier: () => true });
    });
    const out = await new Promise<string>((resolve, reject) => client.exec('x', (err, ch) => {
      if (err) return reject(err);
      let text = '';
      ch.on('data', (d: Buffer) => { text += d.toString(); });
      ch.on('close', () => resolve(text));
    }));
    client.end();
    assert.equal(out, 'pq-ok\n');
    assert.equal(await clientKex, MLKEM);
    assert.deepEqual(serverKex, [MLKEM]);
  });

  it('stock ssh (OpenSSH >= 9.9 from the Debian 13 root) as the client: mlkem768x25519-sha256, and the exec works', async () => {
    serverKex = [];
    const root = modernOpensshRoot();
    // Not spawnSync: the server answering it runs in this process.
    const r = await spawnAsync('chroot', [root, '/usr/bin/ssh', '-F', '/dev/null', '-v', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null', '-p', String(port), 'x@127.0.0.1', 'x']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'pq-ok\n');
    assert.match(r.stderr, new RegExp(`kex: algorithm: ${MLKEM}`));
    assert.deepEqual(serverKex, [MLKEM]);
  });
});
