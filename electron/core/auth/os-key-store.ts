// Where the CLI keeps its secrets (the token-cache key, the audit log's anchor): the OS's own secret
// store, reached through its stock command-line tool so no native module is needed. Secrets travel
// over stdin, never argv.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { isNodeError } from '../../../native/errors';
import { AesGcmProtector, type CacheProtector } from './token-cache';

const SERVICE = 'Nexus Break-Glass';
const TOKEN_CACHE_ACCOUNT = 'token-cache-key';
const KEY_BYTES = 32;

type Run = (cmd: string, args: string[], input?: string) => Promise<string>;

/** The tools run with the caller's environment (it names the session bus or keychain to use). */
function runner(env: NodeJS.ProcessEnv): Run {
  return (cmd, args, input) => new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 15_000, windowsHide: true, env }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    // A tool that exits early (no session bus, locked keyring) closes stdin: its exit status says why.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

/** One named secret (base64 or another value without spaces) in the OS key store. */
export interface SecretStore {
  readonly kind: string;
  load(): Promise<string | undefined>;
  save(secret: string): Promise<void>;
}

function secretService(run: Run, account: string): SecretStore {
  return {
    kind: 'Secret Service (libsecret)',
    load: async () => (await run('secret-tool', ['lookup', 'service', SERVICE, 'account', account]).catch(() => '')).trim() || undefined,
    save: async (s) => { await run('secret-tool', ['store', `--label=${SERVICE} ${account}`, 'service', SERVICE, 'account', account], s); },
  };
}

function keychain(run: Run, account: string): SecretStore {
  return {
    kind: 'macOS Keychain',
    load: async () => (await run('security', ['find-generic-password', '-s', SERVICE, '-a', account, '-w']).catch(() => '')).trim() || undefined,
    // `security -i` reads commands from stdin, which keeps the secret out of the process list.
    save: async (s) => { await run('security', ['-i'], `add-generic-password -U -s "${SERVICE}" -a ${account} -w ${s}\n`); },
  };
}

function dpapi(run: Run, file: string): SecretStore {
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
      const sealed = (await ps("[Convert]::ToBase64String([Security.Cryptography.ProtectedData]::Protect([Convert]::FromBase64String($i),$null,'CurrentUser'))", s)).trim();
      // A PowerShell that is only a stub (Wine) exits 0 and seals nothing: that is no key store.
      if (!sealed) throw new Error('DPAPI sealed nothing (PowerShell gave no output)');
      await writeFileAtomic(file, sealed, { mode: 0o600 });
    },
  };
}

/** The secret named `account` in this OS's key store (on Windows, a DPAPI-sealed file in appDir). */
export function osSecretStore(account: string, appDir: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): SecretStore {
  const run = runner(env);
  return platform === 'win32' ? dpapi(run, path.join(appDir, `${account === TOKEN_CACHE_ACCOUNT ? 'token-cache.key' : account}.dpapi`))
    : platform === 'darwin' ? keychain(run, account) : secretService(run, account);
}

/** A secret sealed by a protector (the app's safeStorage, whose key the OS keeps) in its own file. */
export function protectedFileSecretStore(file: string, protector: CacheProtector): SecretStore {
  return {
    kind: protector.kind,
    async load() {
      let sealed: Buffer;
      try {
        sealed = await fs.readFile(file);
      } catch (err) {
        if (isNodeError(err, 'ENOENT')) return undefined;
        throw err;
      }
      return (await protector.unprotect(sealed)).toString('utf8');
    },
    save: async (secret) => writeFileAtomic(file, await protector.protect(Buffer.from(secret, 'utf8')), { mode: 0o600 }),
  };
}

/**
 * A protector backed by this OS's key store, or undefined when none works here (e.g. Linux
 * without a Secret Service); the caller then keeps tokens in memory unless the user opts in.
 */
export async function osCacheProtector(appDir: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): Promise<CacheProtector | undefined> {
  const store = osSecretStore(TOKEN_CACHE_ACCOUNT, appDir, env, platform);
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
