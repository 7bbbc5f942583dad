// Where the CLI keeps the token-cache key: the OS's own secret store, reached through its stock
// command-line tool so no native module is needed. Secrets travel over stdin, never argv.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { AesGcmProtector, type CacheProtector } from './token-cache';

const SERVICE = 'Nexus Break-Glass';
const ACCOUNT = 'token-cache-key';
const KEY_BYTES = 32;

function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 15_000, windowsHide: true }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    // A tool that exits before reading stdin (absent, or no keyring) makes this write fail with
    // EPIPE; the exit itself is reported through the callback above.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input ?? '');
  });
}

interface KeyStore {
  kind: string;
  load(): Promise<string | undefined>;
  save(secretB64: string): Promise<void>;
}

const secretService: KeyStore = {
  kind: 'Secret Service (libsecret)',
  load: async () => (await run('secret-tool', ['lookup', 'service', SERVICE, 'account', ACCOUNT]).catch(() => '')).trim() || undefined,
  save: async (s) => { await run('secret-tool', ['store', `--label=${SERVICE} token cache key`, 'service', SERVICE, 'account', ACCOUNT], s); },
};

const keychain: KeyStore = {
  kind: 'macOS Keychain',
  load: async () => (await run('security', ['find-generic-password', '-s', SERVICE, '-a', ACCOUNT, '-w']).catch(() => '')).trim() || undefined,
  // `security -i` reads commands from stdin, which keeps the secret out of the process list.
  save: async (s) => { await run('security', ['-i'], `add-generic-password -U -s "${SERVICE}" -a ${ACCOUNT} -w ${s}\n`); },
};

function dpapi(file: string): KeyStore {
  const ps = (script: string, input: string): Promise<string> =>
    run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', `Add-Type -AssemblyName System.Security; $i=[Console]::In.ReadToEnd().Trim(); ${script}`], input);
  return {
    kind: 'Windows DPAPI',
    load: async () => {
      const sealed = await fs.readFile(file, 'utf8').catch(() => '');
      if (!sealed) return undefined;
      return (await ps("[Convert]::ToBase64String([Security.Cryptography.ProtectedData]::Unprotect([Convert]::FromBase64String($i),$null,'CurrentUser'))", sealed)).trim();
    },
    save: async (s) => {
      const sealed = await ps("[Convert]::ToBase64String([Security.Cryptography.ProtectedData]::Protect([Convert]::FromBase64String($i),$null,'CurrentUser'))", s);
      await writeFileAtomic(file, sealed.trim(), { mode: 0o600 });
    },
  };
}

/**
 * A protector backed by this OS's key store, or undefined when none works here (e.g. Linux
 * without a Secret Service); the caller then keeps tokens in memory unless the user opts in.
 */
export async function osCacheProtector(appDir: string, platform: NodeJS.Platform = process.platform): Promise<CacheProtector | undefined> {
  const store = platform === 'win32' ? dpapi(path.join(appDir, 'token-cache.key.dpapi'))
    : platform === 'darwin' ? keychain : secretService;
  let key: string | undefined;
  try {
    key = await store.load();
    if (!key) {
      await store.save(randomBytes(KEY_BYTES).toString('base64'));
      key = await store.load();
    }
  } catch {
    return undefined;
  }
  const bytes = key ? Buffer.from(key, 'base64') : undefined;
  if (!bytes || bytes.length !== KEY_BYTES) return undefined;
  return new AesGcmProtector(store.kind, async () => bytes);
}
