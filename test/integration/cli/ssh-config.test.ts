// nbg ssh through an ssh_config, compared with stock `ssh -F` on the same file and the same
// private sshds: the same host reached (SSH_CONNECTION), the same user, the same chain (the jump's
// sshd logs the forward to the device), the same host-key decision (HostKeyAlias,
// UserKnownHostsFile, StrictHostKeyChecking, -o), the same algorithms (KexAlgorithms,
// HostKeyAlgorithms in the device's log), IdentityAgent; options nbg does not use are named once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { AgentServer } from '../../../electron/core/ssh/agent/server';
import { captureIo } from '../../support/nbg';
import { startSshd, type Sshd } from '../../support/sshd';
import { runSsh } from '../../support/ssh-client';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';

const forwardsIn = (log: string): string[] => [...log.matchAll(/server_request_direct_tcpip: originator \S+ port \d+, target (\S+ port \d+)/g)].map((m) => m[1]!);
const last = (log: string, what: 'kex: algorithm' | 'kex: host key algorithm'): string | undefined => [...log.matchAll(new RegExp(`${what}: (\\S+)`, 'g'))].at(-1)?.[1];

describe('nbg ssh -F against stock ssh -F', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-sshcfg-it-'));
  const key = new SoftSk();
  const knownHosts = path.join(dir, 'known_hosts');
  const cfg = path.join(dir, 'ssh_config');
  let jump: Sshd;
  let leaf2: Sshd;
  let leaf3: Sshd;
  let agent: AgentServer;
  const signer = new SoftSkSigner([key]);

  before(async () => {
    const ecdsaKey = path.join(dir, 'leaf2_ecdsa');
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', ecdsaKey]);
    jump = await startSshd({ authorizedKeys: [key.publicKeyLine], listen: '127.0.0.51' });
    leaf2 = await startSshd({ authorizedKeys: [key.publicKeyLine], listen: '127.0.0.52', extraConfig: [`HostKey ${ecdsaKey}`] });
    leaf3 = await startSshd({ authorizedKeys: [key.publicKeyLine], listen: '127.0.0.53' });
    agent = await AgentServer.start({ signer });
    writeFileSync(cfg, [
      'Host jump-01',
      `  HostName ${jump.host}`,
      `  Port ${jump.port}`,
      'Host leaf-* !leaf-09',
      '  ProxyJump jump-01',
      'Host leaf-02',
      `  HostName ${leaf2.host}`,
      `  Port ${leaf2.port}`,
      '  HostKeyAlias leaf-02.fabric',
      '  KexAlgorithms curve25519-sha256,ecdh-sha2-nistp256',
      '  HostKeyAlgorithms ecdsa-sha2-nistp256',
      'Host leaf-03',
      `  HostName ${leaf3.host}`,
      `  Port ${leaf3.port}`,
      '  StrictHostKeyChecking yes',
      'Host *',
      `  User ${jump.user}`,
      `  IdentityAgent ${agent.path}`,
      '  IdentityFile none',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking accept-new',
      '  BatchMode yes',
      '  ConnectTimeout 10',
      '',
    ].join('\n'));
  });
  after(async () => {
    await agent?.close();
    await Promise.all([jump, leaf2, leaf3].map((s) => s?.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const nbgSsh = async (args: string[]) => {
    const io = captureIo({ ...process.env, NBG_HOME: path.join(dir, 'home'), HOME: dir });
    io.stdin.end();
    const code = await runCli(['ssh', '-F', cfg, ...args], io.io);
    return { code, stdout: io.out(), stderr: io.err() };
  };
  const stock = (args: string[]) => runSsh(cfg, args);
  const REPORT = 'echo "$SSH_CONNECTION" | cut -d" " -f3,4; whoami';

  it('an alias through a config jump: same host, user, chain, algorithms; the key recorded under HostKeyAlias is used by both', async () => {
    const s = await stock(['leaf-02', REPORT]);
    assert.equal(s.code, 0, s.stderr);
    const afterStock = readFileSync(knownHosts, 'utf8');
    assert.match(afterStock, /^leaf-02\.fabric ecdsa-sha2-nistp256 /m, 'stock ssh records the device under its alias');
    const stockForwards = forwardsIn(jump.log());
    const stockAlgorithms = [last(leaf2.log(), 'kex: algorithm'), last(leaf2.log(), 'kex: host key algorithm')];

    const signedBefore = signer.requests.length;
    assert.equal(signedBefore, 2, 'stock ssh signed at the jump and the device through the agent');
    const n = await nbgSsh(['-o', 'StrictHostKeyChecking=yes', 'leaf-02', '--', REPORT]);
    assert.equal(n.code, 0, n.stderr);
    assert.equal(n.stdout, s.stdout, 'same address, port and user');
    assert.equal(n.stdout, `${leaf2.host} ${leaf2.port}\n${leaf2.user}\n`);
    assert.equal(readFileSync(knownHosts, 'utf8'), afterStock, 'no new known_hosts line: the alias entry matched');
    assert.deepEqual(forwardsIn(jump.log()), [...stockForwards, `${leaf2.host} port ${leaf2.port}`], 'the jump forwarded to the device for both');
    assert.deepEqual([last(leaf2.log(), 'kex: algorithm'), last(leaf2.log(), 'kex: host key algorithm')], stockAlgorithms);
    assert.deepEqual(stockAlgorithms, ['curve25519-sha256', 'ecdsa-sha2-nistp256']);
    assert.equal(signer.requests.length - signedBefore, 2, 'nbg too: jump and device signed through IdentityAgent');
    assert.match(n.stderr, /does not do, ignored: GlobalKnownHostsFile; BatchMode\n/);
    assert.equal(n.stderr.match(/does not do/g)?.length, 1, 'named once');
  });

  it('StrictHostKeyChecking yes and an unknown key: both refuse and write nothing', async () => {
    const before = readFileSync(knownHosts, 'utf8');
    const s = await stock(['leaf-03', 'true']);
    assert.notEqual(s.code, 0);
    assert.match(s.stderr, /Host key verification failed/);
    const n = await nbgSsh(['leaf-03', '--', 'true']);
    assert.equal(n.code, 1, n.stderr);
    assert.match(n.stderr, /was not trusted/);
    assert.equal(readFileSync(knownHosts, 'utf8'), before);
    assert.deepEqual(forwardsIn(jump.log()).slice(-2), [`${leaf3.host} port ${leaf3.port}`, `${leaf3.host} port ${leaf3.port}`], 'both went through the jump');
  });

  it('-o comes first: another HostKeyAlias makes the recorded key unknown to both', async () => {
    const s = await stock(['-o', 'HostKeyAlias=elsewhere', '-o', 'StrictHostKeyChecking=yes', 'leaf-02', 'true']);
    assert.match(s.stderr, /Host key verification failed/);
    const n = await nbgSsh(['-o', 'HostKeyAlias=elsewhere', '-o', 'StrictHostKeyChecking=yes', 'leaf-02', '--', 'true']);
    assert.equal(n.code, 1);
    assert.match(n.stderr, /elsewhere/);
  });

  it('-J on the command line wins over the config ProxyJump; a user@ in the destination wins over User', async () => {
    const n = await nbgSsh(['-v', '-J', `${jump.user}@${jump.host}:${jump.port}`, `${leaf2.user}@leaf-02`, '--', 'whoami']);
    assert.equal(n.code, 0, n.stderr);
    assert.match(n.stderr, new RegExp(`hop 1: ${jump.host} is ${jump.user}@${jump.host}:${jump.port}`));
    assert.match(n.stderr, /hop 2: leaf-02 is .*host key alias leaf-02\.fabric/);
    const s = await stock(['-J', `${jump.user}@${jump.host}:${jump.port}`, `${leaf2.user}@leaf-02`, 'whoami']);
    assert.equal(s.stdout, n.stdout);
  });

  it('bad -o is a usage error; an unreadable config line names file and line', async () => {
    const bad = await nbgSsh(['-o', 'Port=none', 'leaf-02']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /-o Port=none/);
    const broken = path.join(dir, 'broken_config');
    writeFileSync(broken, 'Host x\n  StrictHostKeyChecking perhaps\n');
    const io = captureIo({ ...process.env, NBG_HOME: path.join(dir, 'home'), HOME: dir });
    io.stdin.end();
    assert.equal(await runCli(['ssh', '-F', broken, 'x'], io.io), 1);
    assert.match(io.err(), /broken_config:2: StrictHostKeyChecking perhaps/);
  });
});
