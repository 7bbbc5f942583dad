// Stock OpenSSH `ssh` kept away from ~/.ssh: everything comes from a `-F` config (the only way
// IdentityAgent also reaches ProxyJump hops), host keys go to a private known_hosts. Also the
// ssh2 Client login the tests share.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { ConnectConfig } from 'ssh2';

const SSH_BIN = '/usr/bin/ssh';
const DEFAULT_TIMEOUT_MS = 20_000;

/** Writes `dir/ssh_config` using `agentSocket` and `dir/known_hosts`; returns the config path. */
export async function writeSshConfig(dir: string, agentSocket: string, extraLines: string[] = []): Promise<string> {
  const file = path.join(dir, 'ssh_config');
  const lines = [
    'Host *',
    `  IdentityAgent ${agentSocket}`,
    '  IdentityFile none',
    `  UserKnownHostsFile ${path.join(dir, 'known_hosts')}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking accept-new',
    '  BatchMode yes',
    '  ConnectTimeout 10',
    ...extraLines.map((l) => `  ${l}`),
  ];
  await fs.writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

export interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ssh -F config ...args`; kills it after timeoutMs. Never throws for a non-zero exit. */
export function runSsh(config: string, args: string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(SSH_BIN, ['-F', config, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** An ssh2 Client once logged in (10 s ready timeout, any host key unless `config` says otherwise); ended on error. */
export function connectSsh2(config: ConnectConfig): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.once('ready', () => resolve(c));
    c.once('error', (err) => { c.end(); reject(err); });
    c.connect({ readyTimeout: 10_000, hostVerifier: () => true, ...config });
  });
}
