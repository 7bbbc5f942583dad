// Issue "OpenSSH sk keys" against the real thing: the `nbg` CLI over the CTAPHID simulator
// writes files stock ssh-keygen reads byte for byte, signs SSHSIG that ssh-keygen -Y verify
// accepts, logs in to private sshds that demand verify-required, and serves stock ssh -J.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { Authenticator } from '../../../native/authenticator/authenticator';
import { simulatorKeySource } from '../../../native/authenticator/key-source';
import { openSimulator } from '../../../native/simulator/index';
import { signSshsig } from '../../../native/sk/sshsig';
import { AuthenticatorSigner } from '../../../electron/core/keys/signer';
import { KeyStore } from '../../../electron/core/keys/store';
import { SkAgent } from '../../../electron/core/ssh/agent/sk-agent';
import { startSshd, type Sshd } from '../../support/sshd';
import { runSsh, writeSshConfig } from '../../support/ssh-client';
import { nbg, spawnNbg } from '../../support/nbg';
import { ScriptedInteraction } from '../../support/scripted-interaction';

const PIN = '482916';

function tmp(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('nbg keys with the simulator, checked by stock OpenSSH', () => {
  const root = tmp('nbg-keys-');
  const env = { NBG_SIMULATOR: path.join(root, 'sim.json'), NBG_HOME: path.join(root, 'home') };
  const dir = path.join(root, 'ssh');
  const sshds: Sshd[] = [];

  before(async () => {
    const r = await nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await Promise.all(sshds.map((s) => s.stop()));
    rmSync(root, { recursive: true, force: true });
  });

  it('enroll writes files that ssh-keygen -y and -l read byte-identically (ed25519-sk and ecdsa-sk)', async () => {
    // The second resident key gets its own user id (ssh-keygen -O user=) so both stay on the device.
    for (const [type, file, user] of [['ed25519-sk', 'id_ed25519_sk', []], ['ecdsa-sk', 'id_ecdsa_sk', ['--user', 'ops']]] as const) {
      const r = await nbg(['keys', 'enroll', '--type', type, ...user, '--dir', dir, '--pin-stdin', '--json'], { env, stdin: `${PIN}\n` });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { file: string; fingerprint: string; publicKeyLine: string; flags: number };
      assert.equal(out.file, path.join(dir, file));
      assert.equal(out.flags, 0x25);
      assert.equal(statSync(out.file).mode & 0o777, 0o600);
      const pub = readFileSync(`${out.file}.pub`, 'utf8');
      assert.ok(pub.endsWith(' NexusIdentitySSHKey\n'));
      assert.equal(execFileSync('ssh-keygen', ['-y', '-f', out.file], { encoding: 'utf8' }), pub);
      const label = type === 'ed25519-sk' ? 'ED25519-SK' : 'ECDSA-SK';
      assert.equal(execFileSync('ssh-keygen', ['-l', '-f', out.file], { encoding: 'utf8' }), `256 ${out.fingerprint} NexusIdentitySSHKey (${label})\n`);
      assert.match(r.stderr, /Touch your security key/);
    }
    const list = await nbg(['keys', 'list', '--dir', dir, '--json'], { env });
    const keys = JSON.parse(list.stdout) as { type: string; flags: number; comment: string }[];
    assert.deepEqual(keys.map((k) => [k.type, k.flags, k.comment]), [
      ['sk-ecdsa-sha2-nistp256@openssh.com', 0x25, 'NexusIdentitySSHKey'],
      ['sk-ssh-ed25519@openssh.com', 0x25, 'NexusIdentitySSHKey'],
    ]);
  });

  it('never overwrites a key file without an explicit yes, and leaves no partial files on failure', async () => {
    const before = readFileSync(path.join(dir, 'id_ed25519_sk'), 'utf8');
    const r = await nbg(['keys', 'enroll', '--dir', dir, '--pin-stdin'], { env, stdin: `${PIN}\n` });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already exists/);
    assert.equal(readFileSync(path.join(dir, 'id_ed25519_sk'), 'utf8'), before);

    const exists = await nbg(['keys', 'enroll', '--dir', path.join(root, 'other'), '--pin-stdin'], { env, stdin: `${PIN}\n` });
    assert.equal(exists.code, 1);
    assert.match(exists.stderr, /already holds an SSH key for "ssh:"/);

    const fresh = path.join(root, 'fresh');
    const wrong = await nbg(['keys', 'enroll', '--dir', fresh, '--pin-stdin'], { env, stdin: '000000\n' });
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr.trim().split('\n').pop(), 'nbg: PIN entry was cancelled.');
    assert.match(wrong.stderr, /Wrong PIN/);
    assert.ok(!existsSync(fresh) || readdirSync(fresh).length === 0, 'no partial files');
    for (const [touch, message] of [['deny', /denied/], ['timeout', /not touched in time/]] as const) {
      const t = await nbg(['keys', 'enroll', '--user', `t-${touch}`, '--dir', fresh, '--pin-stdin'], { env: { ...env, NBG_SIMULATOR_TOUCH: touch }, stdin: `${PIN}\n` });
      assert.equal(t.code, 1);
      assert.match(t.stderr, message);
      assert.ok(!existsSync(fresh) || readdirSync(fresh).length === 0, 'no partial files');
    }
    const usage = await nbg(['keys', 'enroll', '--type', 'rsa'], { env });
    assert.equal(usage.code, 2);
  });

  it('import writes ssh-keygen -K files (id_*_sk_rk, flags 0x25, comment ssh:) that ssh-keygen reads', async () => {
    const out = path.join(root, 'imported');
    const r = await nbg(['keys', 'import', '--dir', out, '--pin-stdin', '--json'], { env, stdin: `${PIN}\n` });
    assert.equal(r.code, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as { file: string }[]).map((f) => path.basename(f.file)).sort();
    assert.deepEqual(files, ['id_ecdsa_sk_rk_ops', 'id_ed25519_sk_rk']);
    const pub = readFileSync(path.join(out, 'id_ed25519_sk_rk.pub'), 'utf8');
    assert.equal(execFileSync('ssh-keygen', ['-y', '-f', path.join(out, 'id_ed25519_sk_rk')], { encoding: 'utf8' }), pub);
    assert.equal(pub.split(' ')[1], readFileSync(path.join(dir, 'id_ed25519_sk.pub'), 'utf8').split(' ')[1], 'same key as enrolled');
    const show = await nbg(['keys', 'show', 'id_ed25519_sk_rk', '--dir', out, '--json'], { env });
    assert.equal((JSON.parse(show.stdout) as { flags: number; comment: string }).flags, 0x25);
  });

  it('ssh-keygen -Y verify accepts SSHSIG signatures made on the simulator for both types', async () => {
    const sim = await openSimulator({ stateFile: env.NBG_SIMULATOR, keepaliveIntervalMs: 5 });
    const auth = new Authenticator(simulatorKeySource(sim), new ScriptedInteraction({ defaultPin: PIN }));
    const store = new KeyStore(dir);
    for (const file of ['id_ed25519_sk', 'id_ecdsa_sk']) {
      const handle = await store.read(file);
      const message = Buffer.from(`break-glass evidence for ${file}\n`);
      const armored = await signSshsig({
        publicKey: handle, namespace: 'nbg-test', message,
        signer: async (d) => (await auth.sign(handle, d, { context: { purpose: 'sign evidence' } })).assertion,
      });
      const work = tmp('nbg-sshsig-');
      writeFileSync(path.join(work, 'msg'), message);
      writeFileSync(path.join(work, 'msg.sig'), armored);
      writeFileSync(path.join(work, 'allowed'), `op@example ${readFileSync(path.join(dir, `${file}.pub`), 'utf8')}`);
      const v = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', path.join(work, 'allowed'), '-I', 'op@example', '-n', 'nbg-test', '-s', path.join(work, 'msg.sig')], { input: message, encoding: 'utf8' });
      rmSync(work, { recursive: true, force: true });
      assert.equal(v.status, 0, v.stderr);
      assert.match(v.stdout, /Good "nbg-test" signature for op@example with (ED25519|ECDSA)-SK key/);
    }
  });

  it('ssh2 with the simulator-backed agent logs in to a verify-required sshd (sk_flags = 0x05) for both types', async () => {
    const store = new KeyStore(dir);
    const lines = ['id_ed25519_sk', 'id_ecdsa_sk'].map((f) => readFileSync(path.join(dir, `${f}.pub`), 'utf8').trim());
    const sshd = await startSshd({ authorizedKeys: lines, verifyRequired: true });
    sshds.push(sshd);
    const sim = await openSimulator({ stateFile: env.NBG_SIMULATOR, keepaliveIntervalMs: 5 });
    const ui = new ScriptedInteraction({ defaultPin: PIN });
    for (const file of ['id_ed25519_sk', 'id_ecdsa_sk']) {
      const signer = new AuthenticatorSigner(new Authenticator(simulatorKeySource(sim), ui), store, { files: [file] });
      const agent = new SkAgent(signer, { purpose: 'sign in', hop: 'leaf-01', origin: 'test' });
      const client = new ssh2.Client();
      const out = await new Promise<string>((resolve, reject) => {
        client.on('ready', () => client.exec('echo logged-in', (err, stream) => {
          if (err) return reject(err);
          let o = '';
          stream.on('data', (d: Buffer) => { o += d.toString(); }).on('close', () => resolve(o));
        })).on('error', reject).connect({ host: sshd.host, port: sshd.port, username: sshd.user, agent, hostVerifier: () => true });
      });
      client.end();
      assert.equal(out.trim(), 'logged-in');
    }
    const log = await sshd.waitForLog(/sk_flags = 0x05[\s\S]*sk_flags = 0x05/);
    assert.match(log, /ED25519-SK/);
    assert.match(log, /ECDSA-SK/);
    assert.equal(ui.touches.length, 2);
  });

  it('stock ssh -F cfg -J jump target logs in through nbg agent (one PIN and one touch per hop)', async () => {
    const line = readFileSync(path.join(dir, 'id_ed25519_sk.pub'), 'utf8').trim();
    const jump = await startSshd({ authorizedKeys: [`verify-required ${line}`], listen: '127.0.0.2' });
    const target = await startSshd({ authorizedKeys: [`verify-required ${line}`], listen: '127.0.0.3' });
    sshds.push(jump, target);
    const sockDir = tmp('nbg-agent-');
    const socket = path.join(sockDir, 'agent.sock');
    const child = spawnNbg(['agent', '--socket', socket, '--dir', dir, '--pin-stdin'], env);
    try {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const firstLine = await new Promise<string>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error(`agent did not start: ${stderr}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          if (buf.includes('\n')) { clearTimeout(timer); resolve(buf.split('\n')[0] as string); }
        });
        child.once('exit', (code) => reject(new Error(`agent exited ${code}: ${stderr}`)));
      });
      assert.equal(firstLine, `SSH_AUTH_SOCK=${socket}; export SSH_AUTH_SOCK;`);
      assert.equal(statSync(socket).mode & 0o777, 0o600);
      child.stdin.write(`${PIN}\n${PIN}\n`);
      const work = tmp('nbg-ssh-');
      const cfg = await writeSshConfig(work, socket);
      const r = await runSsh(cfg, ['-J', `${jump.user}@${jump.host}:${jump.port}`, '-p', String(target.port), `${target.user}@${target.host}`, 'echo via-jump'], 60_000);
      rmSync(work, { recursive: true, force: true });
      assert.equal(r.code, 0, `${r.stderr}\n--- agent ---\n${stderr}`);
      assert.equal(r.stdout.trim(), 'via-jump');
      assert.equal((stderr.match(/Touch your security key/g) ?? []).length, 2, stderr);
      await jump.waitForLog(/sk_flags = 0x05/);
      await target.waitForLog(/sk_flags = 0x05/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(sockDir, { recursive: true, force: true });
    }
    const audit = await nbg(['audit', 'verify', '--json'], { env });
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    const entries = await nbg(['audit', 'list', '--json'], { env });
    const types = (JSON.parse(entries.stdout) as { type: string }[]).map((e) => e.type);
    assert.ok(types.filter((t) => t === 'sign').length >= 2, `sign events recorded: ${types.join(',')}`);
    assert.ok(types.includes('enroll'));
  });
});

describe('nbg drill with no key plugged in', () => {
  it('creates a simulated drill key on first use and runs the whole break-glass flow with it', async () => {
    const home = tmp('nbg-drill-home-');
    try {
      const r = await nbg(['drill', '--port', '0', '--user', 'alice', '--pin-stdin'], { env: { NBG_HOME: home }, stdin: `${'123456\n'.repeat(40)}` });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stderr, /Drill key: a simulated security key \(PIN 123456/);
      assert.match(r.stdout, /Drill flow: (\d+) of \1 steps as expected/);
      assert.match(r.stderr, /Touch your security key/);
      assert.equal(execFileSync('ssh-keygen', ['-l', '-f', path.join(home, 'drill', 'ssh', 'id_ed25519_sk')], { encoding: 'utf8' }).split(' ')[3], '(ED25519-SK)\n');
      const again = await nbg(['drill', '--port', '0', '--user', 'alice', '--pin-stdin'], { env: { NBG_HOME: home }, stdin: `${'123456\n'.repeat(40)}` });
      assert.equal(again.code, 0, again.stdout + again.stderr);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
