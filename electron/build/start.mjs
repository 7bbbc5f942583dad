// `npm start`: finds the Electron runtime, builds dist/, and runs the app in it. The runtime is a
// download of its own (the electron package's install step); where that cannot happen (no network,
// a blocked CDN, ELECTRON_SKIP_BINARY_DOWNLOAD at install) this says what to do instead of ending
// in the downloader's stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Exit code when the runtime is missing (as a failed command: not a usage error). */
const EXIT_NO_RUNTIME = 1;
/** The download is one ~100 MB file; a dead mirror fails long before this. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));

/**
 * Where the runtime's executable should be, looked up as the electron package's index.js does but
 * never downloading; its install step writes path.txt, so without that only the folder is known.
 */
function runtimePath() {
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return path.join(override, relative || 'electron');
  return relative ? path.join(electronDir, 'dist', relative) : path.join(electronDir, 'dist');
}

/** Runs the package's own install step (mirror and cache variables apply); returns why it failed, if it did. */
function installRuntime() {
  console.error('nbg: fetching the Electron runtime (electron/install.js)...');
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status === 0) return null;
  const reason = `${r.error?.message ?? ''}\n${r.stderr}`.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at '));
  return reason ?? `exit code ${r.status ?? r.signal}`;
}

function explain(where, reason) {
  const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  console.error([
    `nbg: the desktop app cannot start: the Electron ${version} runtime is not at ${where}`,
    `and could not be fetched (${reason}). Point the download at a mirror you can reach with`,
    'ELECTRON_MIRROR=https://mirror.example/electron/ (and ELECTRON_CUSTOM_DIR if its layout differs),',
    `at a download cache that holds electron-v${version}-${process.platform}-${process.arch}.zip (a copy of ~/.cache/electron`,
    'from a machine that fetched it) with electron_config_cache=DIR, or at an unpacked runtime with',
    'ELECTRON_OVERRIDE_DIST_PATH=DIR; then run npm start again.',
    "Without the app, 'npm run nbg -- drill' walks through the whole break-glass flow on this machine.",
  ].join('\n'));
}

const found = () => { const p = runtimePath(); return existsSync(p) && statSync(p).isFile() ? p : null; };
const executable = found() ?? (() => {
  const failure = installRuntime();
  const installed = found();
  if (installed) return installed;
  explain(runtimePath(), failure ?? 'the install step left no runtime behind');
  return process.exit(EXIT_NO_RUNTIME);
})();
const { buildAll } = await import('./build.mjs');
await buildAll();
const app = spawn(executable, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
app.on('exit', (code, signal) => { process.exitCode = code ?? (signal ? 1 : 0); });
