// A private OpenSSH sshd per test (test-recipes.md): own directory, host key and port on
// loopback, log via -E, stopped by PID. The login user is the current user (root here).
//
//   const sshd = await startSshd({ authorizedKeys: [soft.publicKeyLine], verifyRequired: true });
//   t.after(() => sshd.stop());
//   ... connect to sshd.host:sshd.port as sshd.user ...; sshd.log() for assertions.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SSHD_BIN = '/usr/sbin/sshd';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const POLL_MS = 20;
const START_ATTEMPTS = 3;

export interface SshdOptions {
  /** authorized_keys lines (options allowed, e.g. "verify-required sk-ssh-ed25519@... AAAA..."). */
  authorizedKeys: string[];
  /** Adds `PubkeyAuthOptions verify-required`: sk signatures need the UV flag. */
  verifyRequired?: boolean;
  /**
   * The user that logs in by key; default the current user. Another name is a local user created
   * if missing (login shell /bin/sh, home /): a login that does not run this machine's dotfiles.
   */
  keyUser?: string;
  /** Enables password login for this local user (created if missing, password set with chpasswd). */
  passwordAuth?: { user: string; password: string };
  /** Default true (jump hosts need it). */
  allowTcpForwarding?: boolean;
  /** Loopback address to listen on; default 127.0.0.1. */
  listen?: string;
  /** A fixed port (22 for a device as Azure lists it: an address without a port); default a free one. */
  port?: number;
  /** More sshd_config lines, appended last. */
  extraConfig?: string[];
  /** Also serve a certificate for the host key (HostCertificate), made with `ssh-keygen -s caKey -h`. */
  hostCertificate?: HostCertificateOptions;
  /**
   * Run the sshd of this Debian root through chroot (e.g. OpenSSH 10 from `modernOpensshRoot()`);
   * the test's folder is made inside it. Default: this machine's sshd.
   */
  root?: string;
}

export interface HostCertificateOptions {
  /** The CA's private key file. */
  caKey: string;
  /** `-n`; empty: no principals at all. */
  principals: string[];
  /** `-V`, e.g. "-5m:+1h"; default: valid forever. */
  validity?: string;
  /** `-I`; default "nbg-test-host". */
  keyId?: string;
}

export interface Sshd {
  host: string;
  port: number;
  /** The user that logs in by key (the current user). */
  user: string;
  /** Host key `.pub` line (`ssh-ed25519 AAAA... comment`). */
  hostKeyPub: string;
  hostKeyFingerprint: string;
  dir: string;
  log(): string;
  /** Resolves with the log once `pattern` appears in it (bounded by timeoutMs). */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startSshd(opts: SshdOptions): Promise<Sshd> {
  const host = opts.listen ?? '127.0.0.1';
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) throw new Error(`sshd test harness listens on 127.0.0.0/8 only, not ${host}`);
  if (process.getuid?.() === 0) execFileSync('install', ['-d', '-m', '0755', path.join(opts.root ?? '/', 'run/sshd')]);
  const dir = await fs.mkdtemp(path.join(opts.root ? path.join(opts.root, 'tmp') : os.tmpdir(), 'nbg-sshd-'));
  /** `dir` as the sshd sees it (inside its root). */
  const seen = opts.root ? `/${path.relative(opts.root, dir)}` : dir;
  const user = opts.keyUser ?? os.userInfo().username;
  if (opts.keyUser) ensureLocalUser(opts.keyUser);
  try {
    const hostKey = path.join(dir, 'host_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nbg-test-host', '-f', hostKey]);
    const hostKeyPub = readFileSync(`${hostKey}.pub`, 'utf8').trim();
    const hostKeyFingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${hostKey}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    if (opts.hostCertificate) signHostKey(`${hostKey}.pub`, opts.hostCertificate);
    await fs.writeFile(path.join(dir, 'authorized_keys'), opts.authorizedKeys.map((l) => `${l.trim()}\n`).join(''), { mode: 0o600 });
    if (opts.keyUser) {
      // sshd reads authorized_keys as the user: let it through the folder to that one file only.
      await fs.chmod(dir, 0o711);
      await fs.chmod(path.join(dir, 'authorized_keys'), 0o644);
    }
    if (opts.passwordAuth) setLocalPassword(opts.passwordAuth.user, opts.passwordAuth.password);

    for (let attempt = 1; ; attempt++) {
      const port = opts.port ?? await freePort(host);
      const config = sshdConfig(seen, host, port, path.join(seen, path.basename(hostKey)), opts);
      await fs.writeFile(path.join(dir, 'sshd_config'), config);
      const logFile = path.join(dir, 'sshd.log');
      await fs.rm(logFile, { force: true });
      const args = ['-D', '-f', path.join(seen, 'sshd_config'), '-E', path.join(seen, 'sshd.log')];
      const child = opts.root
        ? spawn('chroot', [opts.root, SSHD_BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
        : spawn(SSHD_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      const readLog = () => { try { return readFileSync(logFile, 'utf8'); } catch { return ''; } };
      const started = await waitFor(() => /Server listening on/.test(readLog()) || child.exitCode !== null, START_TIMEOUT_MS);
      if (started && child.exitCode === null) {
        return makeHandle({ host, port, user, hostKeyPub, hostKeyFingerprint, dir, child, readLog });
      }
      await killAndWait(child);
      const why = `${readLog()}${stderr}`;
      if (attempt < START_ATTEMPTS && /Address already in use/.test(why)) continue;
      throw new Error(`sshd did not start: ${why || 'no output within the time limit'}`);
    }
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

function sshdConfig(dir: string, host: string, port: number, hostKey: string, opts: SshdOptions): string {
  const lines = [
    `Port ${port}`,
    `ListenAddress ${host}`,
    `HostKey ${hostKey}`,
    ...(opts.hostCertificate ? [`HostCertificate ${hostKey}-cert.pub`] : []),
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    'UsePAM no',
    'StrictModes no',
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${opts.passwordAuth ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'PubkeyAcceptedAlgorithms sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,ssh-ed25519,rsa-sha2-512,rsa-sha2-256',
    `AllowTcpForwarding ${opts.allowTcpForwarding === false ? 'no' : 'yes'}`,
    'LogLevel DEBUG1',
    ...(opts.verifyRequired ? ['PubkeyAuthOptions verify-required'] : []),
    ...(opts.extraConfig ?? []),
  ];
  return `${lines.join('\n')}\n`;
}

function makeHandle(p: {
  host: string; port: number; user: string; hostKeyPub: string; hostKeyFingerprint: string; dir: string;
  child: ChildProcess; readLog: () => string;
}): Sshd {
  let stopped: Promise<void> | null = null;
  return {
    host: p.host, port: p.port, user: p.user, hostKeyPub: p.hostKeyPub, hostKeyFingerprint: p.hostKeyFingerprint, dir: p.dir,
    log: p.readLog,
    async waitForLog(pattern, timeoutMs = 5_000) {
      if (!(await waitFor(() => pattern.test(p.readLog()), timeoutMs))) {
        throw new Error(`sshd log never matched ${pattern} within ${timeoutMs} ms:\n${p.readLog()}`);
      }
      return p.readLog();
    },
    stop() {
      stopped ??= (async () => {
        await killAndWait(p.child);
        await fs.rm(p.dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** Writes `<key>-cert.pub` beside the public key (ssh-keygen's naming). */
function signHostKey(publicKey: string, cert: HostCertificateOptions): void {
  execFileSync('ssh-keygen', [
    '-q', '-s', cert.caKey, '-h', '-I', cert.keyId ?? 'nbg-test-host',
    ...(cert.principals.length ? ['-n', cert.principals.join(',')] : []),
    ...(cert.validity ? ['-V', cert.validity] : []),
    publicKey,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function ensureLocalUser(user: string): void {
  if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(user)) throw new Error(`unsafe test user name ${user}`);
  try {
    execFileSync('id', ['-u', user], { stdio: 'ignore' });
  } catch {
    // '*': no password, but not locked ('!'), which sshd would refuse even for key logins. A group
    // of that name may exist already (Debian has 'operator'): then it is the user's group.
    let groupExists = true;
    try { execFileSync('getent', ['group', user], { stdio: 'ignore' }); } catch { groupExists = false; }
    execFileSync('useradd', ['-M', '-d', '/', '-s', '/bin/sh', '-p', '*', ...(groupExists ? ['-g', user] : []), user]);
  }
}

function setLocalPassword(user: string, password: string): void {
  ensureLocalUser(user);
  execFileSync('chpasswd', { input: `${user}:${password}\n` });
}

/**
 * A loopback address of its own for one test (127.100.0.0-127.250.255.255), for a device that must
 * answer on port 22 (Azure lists addresses without a port): parallel runs do not share it.
 */
export function uniqueLoopback(): string {
  const byte = () => Math.floor(Math.random() * 256);
  return `127.${100 + Math.floor(Math.random() * 151)}.${byte()}.${1 + Math.floor(Math.random() * 254)}`;
}

/** A port that was free a moment ago on `host` (the kernel picks it). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return check();
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
